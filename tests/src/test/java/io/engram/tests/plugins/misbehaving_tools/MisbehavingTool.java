package io.engram.tests.plugins.misbehaving_tools;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** One tool, three ways of going wrong, chosen by {@code how}: throw, null (no result) or hang. */
@Component(service = Tool.class)
public class MisbehavingTool extends AbstractTool {

    public MisbehavingTool() {
        super("misbehave", "Misbehave", "Goes wrong the way it is asked to.",
                "{\"type\":\"object\",\"properties\":{\"how\":{\"type\":\"string\",\"enum\":[\"throw\",\"null\",\"hang\"]}},"
                        + "\"required\":[\"how\"]}",
                null, ToolAnnotations.NONE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        switch (arguments.string("how")) {
            case "throw" -> throw new IllegalStateException("misbehave lost its database connection");
            case "null" -> {
                return null;
            }
            default -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ToolResult.text("woke up after cancellation: " + context.isCancelled());
            }
        }
    }
}
