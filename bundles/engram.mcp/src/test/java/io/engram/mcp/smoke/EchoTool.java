package io.engram.mcp.smoke;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import java.util.Map;

/**
 * A DS tool component packed into a generated bundle by the in-framework test; its name comes
 * from the component property {@code tool.name}. Depends on nothing but the API and the JDK.
 */
public class EchoTool implements Tool {

    private String name;

    public void activate(Map<String, Object> properties) {
        name = (String) properties.get("tool.name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Echoes its message.";
    }

    @Override
    public String inputSchema() {
        return "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}},\"required\":[\"message\"]}";
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text(name + ": " + arguments.string("message"));
    }
}
