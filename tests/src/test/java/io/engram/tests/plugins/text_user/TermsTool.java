package io.engram.tests.plugins.text_user;

import io.engram.api.tool.AbstractTool;
import io.engram.api.tool.Arguments;
import io.engram.api.tool.Tool;
import io.engram.api.tool.ToolAnnotations;
import io.engram.api.tool.ToolContext;
import io.engram.api.tool.ToolResult;
import io.engram.text.TextAnalyzer;
import io.engram.text.Token;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Component;

/** A plugin that imports io.engram.text as the search bundle will: {@code terms} lists the query terms of a text. */
@Component(service = Tool.class)
public class TermsTool extends AbstractTool {

    private final TextAnalyzer analyzer = TextAnalyzer.english();

    public TermsTool() {
        super("terms", "Terms", "The query terms of a text, space separated.",
                "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":\"Any text.\"}},"
                        + "\"required\":[\"text\"]}",
                null, ToolAnnotations.readOnly());
    }

    @Override
    public ToolResult call(Arguments arguments, ToolContext context) {
        return ToolResult.text(analyzer.query(arguments.string("text")).stream().map(Token::term)
                .collect(Collectors.joining(" ")));
    }
}
