package io.engram.mcp.protocol;

import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;

/** A small real tool whose behaviour is a lambda. */
final class TestTool implements Tool {

    @FunctionalInterface
    interface Body {
        ToolResult call(Arguments arguments, ToolContext context) throws Exception;
    }

    private final String name;
    private final String inputSchema;
    private final String outputSchema;
    private final ToolAnnotations annotations;
    private final Body body;

    TestTool(String name, String inputSchema, String outputSchema, ToolAnnotations annotations, Body body) {
        this.name = name;
        this.inputSchema = inputSchema;
        this.outputSchema = outputSchema;
        this.annotations = annotations;
        this.body = body;
    }

    static TestTool text(String name, String inputSchema, Body body) {
        return new TestTool(name, inputSchema, null, ToolAnnotations.NONE, body);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return "Title of " + name;
    }

    @Override
    public String description() {
        return "Test tool " + name;
    }

    @Override
    public String inputSchema() {
        return inputSchema;
    }

    @Override
    public String outputSchema() {
        return outputSchema;
    }

    @Override
    public ToolAnnotations annotations() {
        return annotations;
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) throws Exception {
        return body.call(arguments, context);
    }
}
