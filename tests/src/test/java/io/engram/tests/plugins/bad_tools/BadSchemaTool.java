package io.engram.tests.plugins.bad_tools;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import org.osgi.service.component.annotations.Component;

/** A tool whose input schema uses {@code anyOf}, outside the portable subset Gemini-backed clients accept. */
@Component(service = Tool.class)
public class BadSchemaTool extends AbstractTool {

    public BadSchemaTool() {
        super("bad_schema", "Bad schema", "Has a schema clients reject.",
                "{\"type\":\"object\",\"properties\":{\"when\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}}}",
                null, ToolAnnotations.NONE);
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text("unreachable");
    }
}
