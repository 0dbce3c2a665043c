package io.engram.tests.plugins.component_throws;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** A tool component whose activation fails, so SCR never hands out its service. */
@Component(service = Tool.class)
public class BrokenTool extends AbstractTool {

    public BrokenTool() {
        super("broken_component", "Broken", "Never activates.", "{\"type\":\"object\"}", null, ToolAnnotations.NONE);
    }

    @Activate
    void activate() {
        throw new IllegalStateException("component_throws has no licence key");
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text("unreachable");
    }
}
