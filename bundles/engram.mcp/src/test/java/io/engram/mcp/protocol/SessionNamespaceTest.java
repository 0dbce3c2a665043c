package io.engram.mcp.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.mcp.json.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SessionNamespaceTest {

    private static String path(String absolute) {
        return Path.of(absolute).toAbsolutePath().normalize().toString();
    }

    @Test
    void theEnvironmentVariableWinsOverTheWorkingDirectory() {
        SessionNamespace named = SessionNamespace.fallback(Map.of("ENGRAM_NAMESPACE", "  /work/project-a ")::get, "/tmp");
        assertEquals(new SessionNamespace("/work/project-a", "ENGRAM_NAMESPACE"), named);
    }

    @Test
    void withoutTheVariableTheWorkingDirectoryIsTheNamespace() {
        for (Map<String, String> environment : java.util.List.of(Map.<String, String>of(),
                Map.of("ENGRAM_NAMESPACE", "  "))) {
            SessionNamespace fallback = SessionNamespace.fallback(environment::get, "/work/project-a/src/..");
            assertEquals(path("/work/project-a"), fallback.name());
            assertEquals("the working directory", fallback.source());
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // the paths below are POSIX ones
    void fileRootsBecomeNormalizedPaths() {
        assertEquals("/work/project-a", SessionNamespace.ofRoot("file:///work/project-a/").name());
        assertEquals("/work/my project", SessionNamespace.ofRoot("file:///work/my%20project").name());
        assertEquals("/work/b", SessionNamespace.ofRoot("file:///work/a/../b/./").name());
        assertEquals("/work/a", SessionNamespace.ofRoot("file://localhost/work/a").name());
        assertEquals("/", SessionNamespace.ofRoot("file:///").name());
    }

    @Test
    void otherRootsAreKeptAsTheyAre() {
        for (String uri : new String[] {"https://example.com/repo", "vscode-vfs://github/engram/engram",
                "file://fileserver/share/project", "file:relative", "not a uri"}) {
            assertEquals(uri, SessionNamespace.ofRoot(uri).name());
        }
    }

    @Test
    void aRootsResultGivesItsFirstRoot() {
        Optional<SessionNamespace> first = SessionNamespace.ofRootsResult(Json.parse(
                "{\"roots\":[{\"uri\":\"file:///work/a\",\"name\":\"a\"},{\"uri\":\"file:///work/b\"}]}"));
        assertEquals(path("/work/a"), first.orElseThrow().name());
        assertTrue(first.orElseThrow().source().contains("file:///work/a"), first.orElseThrow().source());
        assertEquals(Optional.empty(), SessionNamespace.ofRootsResult(Json.parse("{\"roots\":[]}")));
    }

    @Test
    void aMalformedRootsResultIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SessionNamespace.ofRootsResult(Json.parse("[]")))
                .getMessage().contains("not an object"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SessionNamespace.ofRootsResult(Json.parse("{\"roots\":\"file:///a\"}")))
                .getMessage().contains("roots is not an array"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SessionNamespace.ofRootsResult(Json.parse("{\"roots\":[{\"uri\":\"\"}]}")))
                .getMessage().contains("no uri"));
    }
}
