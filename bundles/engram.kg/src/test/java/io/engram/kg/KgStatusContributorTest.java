package io.engram.kg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.engram.kg.graph.NodeKey;
import io.engram.storage.LmdbStore;
import io.engram.storage.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KgStatusContributorTest {

    @TempDir
    Path dataDir;

    @Test
    void countsNodesAndEdgesOfEveryNamespaceAndNothingWhileTheStoreIsClosed() {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(dataDir));
        store.start();
        store.awaitOpen(Duration.ofSeconds(10));
        KgEngine kg = new KgEngine(store, Clock.systemUTC(), KgSettings.DEFAULTS);
        KgStatusContributor contributor = new KgStatusContributor(kg);
        try {
            assertEquals("graph", contributor.section());
            assertEquals(Map.of("nodes", 0L, "edges", 0L), contributor.status());
            kg.createRelation("a", NodeKey.entity("x"), NodeKey.entity("y"), null);
            kg.createRelation("b", NodeKey.entity("x"), NodeKey.entity("y"), null);
            kg.tag("b", "z", List.of("t"));
            assertEquals(Map.of("nodes", 5L, "edges", 2L), contributor.status());
        } finally {
            store.close();
        }
        assertEquals(Map.of(), contributor.status(), "a status request never waits for storage");
    }
}
