package io.engram.mcp.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The namespace of a session's workspace ({@link io.engram.api.tool.ToolContext#namespace()})
 * and where it came from, for the log.
 *
 * @param name the namespace
 * @param source why it is this one, e.g. "ENGRAM_NAMESPACE" or "the client's root file:///work/a"
 */
public record SessionNamespace(String name, String source) {

    /** The environment variable that names the namespace of a host whose client declares no roots. */
    public static final String ENVIRONMENT_VARIABLE = "ENGRAM_NAMESPACE";

    /** The namespace of this host process: {@value #ENVIRONMENT_VARIABLE} when set, else the working directory. */
    public static SessionNamespace ofHost() {
        return fallback(System::getenv, System.getProperty("user.dir"));
    }

    /**
     * The namespace when the client gives no roots: {@code environment}'s {@value #ENVIRONMENT_VARIABLE}
     * when set and not blank (trimmed), else the working directory as an absolute normalized path.
     */
    static SessionNamespace fallback(UnaryOperator<String> environment, String workingDirectory) {
        String named = environment.apply(ENVIRONMENT_VARIABLE);
        if (named != null && !named.isBlank()) {
            return new SessionNamespace(named.trim(), ENVIRONMENT_VARIABLE);
        }
        return new SessionNamespace(normalized(Path.of(workingDirectory)), "the working directory");
    }

    /**
     * The namespace of a root: a {@code file:} URI as an absolute normalized path of this file system,
     * any other URI (or a file URI this file system cannot express, e.g. with a remote host) as it is.
     */
    static SessionNamespace ofRoot(String uri) {
        return new SessionNamespace(rootName(uri), "the client's root " + uri);
    }

    /**
     * The namespace a {@code roots/list} result gives: its first root's; empty when the client lists no roots.
     *
     * @throws IllegalArgumentException naming what is wrong when the result is not shaped as MCP says
     */
    static Optional<SessionNamespace> ofRootsResult(JsonElement result) {
        if (result == null || !result.isJsonObject()) {
            throw new IllegalArgumentException("the result is not an object: " + result);
        }
        JsonElement roots = result.getAsJsonObject().get("roots");
        if (roots == null || !roots.isJsonArray()) {
            throw new IllegalArgumentException("roots is not an array: " + roots);
        }
        JsonArray list = roots.getAsJsonArray();
        if (list.isEmpty()) {
            return Optional.empty();
        }
        JsonElement first = list.get(0);
        JsonElement uri = first.isJsonObject() ? first.getAsJsonObject().get("uri") : null;
        if (uri == null || !uri.isJsonPrimitive() || !uri.getAsJsonPrimitive().isString() || uri.getAsString().isBlank()) {
            throw new IllegalArgumentException("the first root has no uri: " + first);
        }
        return Optional.of(ofRoot(uri.getAsString().trim()));
    }

    private static String rootName(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return uri;
        }
        if (parsed.getScheme() == null || !parsed.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
            return uri;
        }
        try {
            if ("localhost".equalsIgnoreCase(parsed.getAuthority())) {
                // file://localhost/x is the local file /x, which Path.of(URI) refuses for its authority
                parsed = new URI("file", null, parsed.getPath(), null);
            }
            return normalized(Path.of(parsed));
        } catch (IllegalArgumentException | URISyntaxException | FileSystemNotFoundException e) {
            return uri;
        }
    }

    private static String normalized(Path path) {
        // Path.toString never ends in a separator, except for a file system root
        return path.toAbsolutePath().normalize().toString();
    }
}
