package io.engram.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.search.SemanticHit;
import io.engram.api.store.Store;
import io.engram.testing.TempStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The semantic index with the real model on a real LMDB store. */
class SemanticEngineTest {

    @RegisterExtension
    final TempStore temp = new TempStore();

    private final List<SemanticEngine> started = new ArrayList<>();

    @AfterEach
    void stopEngines() throws InterruptedException {
        for (SemanticEngine engine : started) {
            engine.stop(5_000);
        }
    }

    private SemanticEngine start(Store store) {
        SemanticEngine engine = new SemanticEngine(store, new SemanticSettings(8, 60_000));
        engine.start(null);
        started.add(engine);
        return engine;
    }

    private static void changed(Store store, SemanticEngine engine, String namespace, String id, String text) {
        store.write(txn -> {
            engine.textChanged(txn, namespace, id, text);
            return null;
        });
    }

    /** Waits until nothing is queued; the worker picks up this process's writes at once (poll is 60 s here). */
    static void awaitEmbedded(SemanticEngine engine) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (engine.pending() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still pending: " + engine.pending());
            }
            Thread.sleep(10);
        }
    }

    private static List<String> ids(List<SemanticHit> hits) {
        return hits.stream().map(SemanticHit::id).toList();
    }

    private static final String GRADLE = "Speed up compilation with the gradle daemon and the build cache";

    private void addNotes(Store store, SemanticEngine engine, String namespace) {
        changed(store, engine, namespace, "mem_1", "The staging database password rotates every 90 days");
        changed(store, engine, namespace, "mem_2", GRADLE);
        changed(store, engine, namespace, "mem_3", "Lunch with the design team is on Thursdays at noon");
        changed(store, engine, namespace, "mem_4", "Use tabs, not spaces, in the Makefile recipes");
        changed(store, engine, namespace, "mem_5", "The cat's vet appointment moved to next Tuesday");
    }

    @Test
    void aParaphraseRanksAboveUnrelatedNotes() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        addNotes(store, engine, "proj");
        awaitEmbedded(engine);
        assertEquals(5, engine.vectors());

        List<SemanticHit> hits = engine.nearest("how do I make the build faster", Set.of("proj"), 5, id -> true);
        assertEquals("mem_2", hits.get(0).id(), hits.toString());
        assertEquals("proj", hits.get(0).namespace());
        assertEquals(5, hits.size());
        for (int i = 1; i < hits.size(); i++) {
            assertTrue(hits.get(i - 1).similarity() >= hits.get(i).similarity(), "most similar first: " + hits);
        }
        assertTrue(hits.get(0).similarity() - hits.get(1).similarity() > 0.1, "clearly ahead: " + hits);
        assertEquals("mem_5", engine.nearest("my pet needs to see the animal doctor", Set.of("proj"), 1,
                id -> true).get(0).id());
    }

    @Test
    void aRemovedMemoryIsForgottenAndOneRemovedWhileQueuedIsNeverEmbedded() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        addNotes(store, engine, "proj");
        awaitEmbedded(engine);

        store.write(txn -> {
            engine.removed(txn, "proj", "mem_2");
            return null;
        });
        assertEquals(4, engine.vectors());
        assertFalse(ids(engine.nearest("how do I make the build faster", Set.of("proj"), 10, id -> true))
                .contains("mem_2"));

        // queued and removed in the same transaction: nothing left to embed, nothing stored
        store.write(txn -> {
            engine.textChanged(txn, "proj", "mem_9", GRADLE);
            engine.removed(txn, "proj", "mem_9");
            return null;
        });
        assertEquals(0, engine.pending());
        assertFalse(ids(engine.nearest(GRADLE, Set.of("proj"), 10, id -> true)).contains("mem_9"));
    }

    @Test
    void aChangedTextReplacesTheVector() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        addNotes(store, engine, "proj");
        awaitEmbedded(engine);

        changed(store, engine, "proj", "mem_2", "Water the office plants on Monday mornings");
        awaitEmbedded(engine);
        assertEquals(5, engine.vectors(), "replaced, not added");
        assertEquals("mem_2", engine.nearest("who takes care of the houseplants", Set.of("proj"), 1, id -> true)
                .get(0).id());
        assertFalse(ids(engine.nearest("how do I make the build faster", Set.of("proj"), 1, id -> true))
                .contains("mem_2"));
    }

    @Test
    void theTextAlreadyEmbeddedIsNotEmbeddedAgain() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        addNotes(store, engine, "proj");
        awaitEmbedded(engine);
        // the worker counts a batch just after its commit, which is when pending() reaches 0
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (engine.embedded() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long embedded = engine.embedded();
        assertEquals(5, embedded);

        // a backfill hands every memory in again: those whose text has a vector cost nothing
        addNotes(store, engine, "proj");
        assertEquals(0, engine.pending());
        // changed and changed back before the worker saw it: the queued change is dropped
        store.write(txn -> {
            engine.textChanged(txn, "proj", "mem_2", "Water the office plants on Monday mornings");
            engine.textChanged(txn, "proj", "mem_2", GRADLE);
            return null;
        });
        assertEquals(0, engine.pending());
        assertEquals(embedded, engine.embedded());
        assertEquals("mem_2", engine.nearest("how do I make the build faster", Set.of("proj"), 1, id -> true)
                .get(0).id());
    }

    @Test
    void aMemoryMovedToAnotherNamespaceLeavesNoVectorBehind() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        changed(store, engine, "a", "mem_1", GRADLE);
        awaitEmbedded(engine);
        changed(store, engine, "b", "mem_1", GRADLE);
        awaitEmbedded(engine);
        assertEquals(1, engine.vectors());
        assertEquals(List.of(), engine.nearest(GRADLE, Set.of("a"), 5, id -> true));
        assertEquals(List.of("mem_1"), ids(engine.nearest(GRADLE, Set.of("b"), 5, id -> true)));
    }

    @Test
    void aTextChangedOrRemovedWhileItWasEmbeddedIsNotStoredOverTheChange() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = new SemanticEngine(store, SemanticSettings.DEFAULTS); // its worker's steps by hand
        MiniLmEmbedder model = MiniLmEmbedder.load(null);
        changed(store, engine, "proj", "mem_1", GRADLE);
        changed(store, engine, "proj", "mem_2", "The cat's vet appointment moved to next Tuesday");
        List<SemanticEngine.Queued> batch = engine.queued(10);
        List<byte[]> vectors = SemanticEngine.embed(model, batch);
        // meanwhile, in the memories' transactions:
        changed(store, engine, "proj", "mem_1", "Water the office plants on Monday mornings");
        store.write(txn -> {
            engine.removed(txn, "proj", "mem_2");
            return null;
        });

        assertEquals(0, engine.storeVectors(batch, vectors), "neither vector is stored");
        assertEquals(0, engine.vectors());
        assertEquals(1, engine.pending(), "the new text of mem_1 waits for the next round");
        assertEquals(1, engine.embedBatch(model));
        assertEquals(0, engine.pending());
        assertEquals(List.of("mem_1"), ids(engine.nearest(model.embed("who takes care of the houseplants"),
                Set.of("proj"), 5, id -> true)), "only the new text, and mem_2 is gone");
    }

    @Test
    void twoWorkersOnOneStoreStoreEachMemoryOnce() throws Exception {
        Store store = temp.store();
        SemanticEngine first = start(store);
        SemanticEngine second = start(store); // as a second process on the same store would
        List<String> topics = List.of("gradle builds", "database passwords", "team lunches", "Makefile tabs",
                "vet appointments", "office plants", "coffee machine", "release notes");
        store.write(txn -> {
            for (int i = 0; i < 40; i++) {
                (i % 2 == 0 ? first : second).textChanged(txn, "proj", String.format("mem_%02d", i),
                        "Note " + i + " about " + topics.get(i % topics.size()));
            }
            return null;
        });
        awaitEmbedded(first);
        assertEquals(40, first.vectors());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (first.embedded() + second.embedded() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(10); // each counts after its commit returns
        }
        assertEquals(40, first.embedded() + second.embedded(), "each stored by one of them, none twice");
        assertEquals(List.of("mem_05"), ids(first.nearest("Note 5 about office plants", Set.of("proj"), 1,
                id -> true)));
    }

    /**
     * Two processes' workers on one queue share the work: each batch starts at a random point of the queue, so
     * they rarely embed the same texts (taking the queue's first entries, each embedded nearly all of them).
     */
    @Test
    void twoWorkersOnALongQueueEmbedMostTextsOnce() throws Exception {
        Store store = temp.store();
        SemanticEngine idle = new SemanticEngine(store, SemanticSettings.DEFAULTS); // queues only
        int texts = 600;
        store.write(txn -> {
            for (int i = 0; i < texts; i++) {
                idle.textChanged(txn, "proj", String.format("mem_%04d", i), "Note " + i + " about item " + i * 7);
            }
            return null;
        });
        SemanticEngine first = start(store);
        SemanticEngine second = start(store);
        awaitEmbedded(first);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (first.embedded() + second.embedded() < texts && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(texts, first.vectors());
        assertEquals(texts, first.embedded() + second.embedded(), "each stored once");
        long ran = first.textsEmbedded() + second.textsEmbedded();
        assertTrue(ran <= texts * 1.25, "texts run through the model by both: " + ran + " for " + texts);
        assertTrue(first.embedded() > texts / 5 && second.embedded() > texts / 5,
                "both did a share: " + first.embedded() + " / " + second.embedded());
    }

    @Test
    void workQueuedBeforeACrashIsEmbeddedByTheNextStart() throws Exception {
        Store store = temp.store();
        // the memory's transaction committed, then the process died before its worker embedded anything
        SemanticEngine crashed = new SemanticEngine(store, SemanticSettings.DEFAULTS);
        changed(store, crashed, "proj", "mem_1", GRADLE);
        changed(store, crashed, "proj", "mem_2", "The cat's vet appointment moved to next Tuesday");
        assertEquals(2, crashed.pending());
        assertEquals(0, crashed.vectors());

        SemanticEngine restarted = start(store);
        awaitEmbedded(restarted);
        assertEquals(2, restarted.vectors());
        assertEquals("mem_1", restarted.nearest("how do I make the build faster", Set.of("proj"), 1, id -> true)
                .get(0).id());
    }

    @Test
    void namespacesIsolateAndNullMeansEvery() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        changed(store, engine, "alpha", "mem_a", GRADLE);
        changed(store, engine, "alphabet", "mem_b", GRADLE); // a namespace whose name extends another's
        changed(store, engine, "x".repeat(400), "mem_c", GRADLE); // keyed by digest
        awaitEmbedded(engine);

        assertEquals(List.of("mem_a"), ids(engine.nearest("faster builds", Set.of("alpha"), 10, id -> true)));
        assertEquals(List.of("mem_b"), ids(engine.nearest("faster builds", Set.of("alphabet"), 10, id -> true)));
        List<SemanticHit> longOne = engine.nearest("faster builds", Set.of("x".repeat(400)), 10, id -> true);
        assertEquals(List.of(new SemanticHit("mem_c", "x".repeat(400), longOne.get(0).similarity())), longOne);
        assertEquals(List.of(), engine.nearest("faster builds", Set.of("beta"), 10, id -> true));
        assertEquals(List.of(), engine.nearest("faster builds", Set.of(), 10, id -> true));
        assertEquals(List.of(), engine.nearest(" ", null, 10, id -> true));
        assertEquals(List.of(), engine.nearest("faster builds", null, 0, id -> true));
        List<SemanticHit> every = engine.nearest("faster builds", null, 10, id -> true);
        assertEquals(Set.of("mem_a", "mem_b", "mem_c"), Set.copyOf(ids(every)));
        assertEquals(Set.of("alpha", "alphabet", "x".repeat(400)),
                Set.copyOf(every.stream().map(SemanticHit::namespace).toList()));
    }

    @Test
    void acceptFiltersAndIsAskedOnlyAboutCandidatesThatWouldEnter() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = start(store);
        addNotes(store, engine, "proj");
        awaitEmbedded(engine);

        List<String> asked = new ArrayList<>();
        List<SemanticHit> hits = engine.nearest("how do I make the build faster", Set.of("proj"), 2, id -> {
            asked.add(id);
            return !id.equals("mem_2");
        });
        assertEquals(2, hits.size());
        assertFalse(ids(hits).contains("mem_2"), "rejected");
        assertTrue(asked.contains("mem_2"));

        // the best match is first in key order: once it is in, nothing else can enter a ranking of one
        asked.clear();
        List<SemanticHit> best = engine.nearest("The staging database password rotates every 90 days",
                Set.of("proj"), 1, id -> asked.add(id));
        assertEquals(List.of("mem_1"), ids(best));
        assertEquals(List.of("mem_1"), asked);
    }

    @Test
    void backfillIsNeededUntilMarkedAndBlankTextsAreNotQueued() throws Exception {
        Store store = temp.store();
        SemanticEngine engine = new SemanticEngine(store, SemanticSettings.DEFAULTS);
        assertTrue(store.read(engine::needsBackfill));
        store.write(txn -> {
            engine.backfilled(txn);
            return null;
        });
        assertFalse(store.read(engine::needsBackfill));
        changed(store, engine, "proj", "mem_1", "  \n ");
        assertEquals(0, engine.pending());
    }
}
