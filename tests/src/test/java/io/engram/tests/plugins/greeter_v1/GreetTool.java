package io.engram.tests.plugins.greeter_v1;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** Version 1 of a test plugin's tool: {@code greet} answers "hello from v1, NAME". */
@Component(service = Tool.class)
public class GreetTool extends AbstractTool {

    public GreetTool() {
        super("greet", "Greet", "Greets someone; says which plugin version answered.",
                "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"description\":\"Who to greet.\"}},"
                        + "\"required\":[\"name\"]}",
                null, ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text("hello from v1, " + arguments.string("name"));
    }
}
