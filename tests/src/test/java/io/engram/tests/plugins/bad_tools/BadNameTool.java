package io.engram.tests.plugins.bad_tools;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** A tool whose name model APIs reject (a space and a '!'). */
@Component(service = Tool.class)
public class BadNameTool extends AbstractTool {

    public BadNameTool() {
        super("bad name!", "Bad name", "Has a name clients reject.", "{\"type\":\"object\"}", null, ToolAnnotations.NONE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text("unreachable");
    }
}
