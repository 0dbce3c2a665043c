package io.engram.tests.plugins.sleeper;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** A test plugin's slow tool: {@code sleep_for} waits the given milliseconds, then says so. */
@Component(service = Tool.class)
public class SleepTool extends AbstractTool {

    public SleepTool() {
        super("sleep_for", "Sleep", "Waits the given number of milliseconds before answering.",
                "{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\",\"description\":\"How long.\"}},"
                        + "\"required\":[\"ms\"]}",
                null, ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) throws InterruptedException {
        long ms = arguments.optLong("ms", 0);
        Thread.sleep(ms);
        return ToolResult.text("slept " + ms + " ms");
    }
}
