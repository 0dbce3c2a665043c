package io.engram.storage;

import static io.engram.storage.Bytes.b;
import static io.engram.storage.Bytes.count;
import static io.engram.storage.Bytes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {

    @TempDir
    Path tmp;

    private LmdbStore store;
    private final ExecutorService callers = Executors.newFixedThreadPool(64);

    @BeforeEach
    void open() {
        store = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")));
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        store.close();
    }

    @Test
    void concurrentWritesAreAllAcknowledgedAndPresentWithFewCommits() throws Exception {
        int threads = 64;
        int writesEach = 50;
        long commitsBefore = store.commitCount();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(callers.submit(() -> {
                for (int i = 0; i < writesEach; i++) {
                    String key = thread + ":" + i;
                    store.write(txn -> {
                        txn.put("burst", b(key), b("v" + key));
                        return null;
                    });
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        long commits = store.commitCount() - commitsBefore;
        assertEquals((long) threads * writesEach, count(store, "burst"));
        assertEquals("v17:42", s(store.read(txn -> txn.get("burst", b("17:42")))));
        assertTrue(commits < threads * writesEach / 4, "group commit made " + commits + " commits for "
                + threads * writesEach + " writes");
    }

    @Test
    void aFailingWorkRollsBackOnlyItselfInsideASharedBatch() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Occupy the writer so that the next works queue up and run as one group.
        Future<?> blocker = callers.submit(() -> store.write(txn -> {
            writerBusy.countDown();
            await(release);
            txn.put("batch", b("blocker"), b("ok"));
            return null;
        }));
        assertTrue(writerBusy.await(5, TimeUnit.SECONDS));
        long commitsBefore = store.commitCount();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = "k" + i;
            boolean fails = i == 2;
            results.add(callers.submit(() -> store.write(txn -> {
                txn.put("batch", b(key), b("v"));
                if (fails) {
                    throw new IllegalArgumentException("work " + key + " refuses");
                }
                return key;
            })));
        }
        waitUntilQueued(5);
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);

        for (int i = 0; i < 5; i++) {
            if (i == 2) {
                ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        results.get(i)::get);
                assertTrue(e.getCause() instanceof IllegalArgumentException, e.getCause().toString());
                assertEquals("work k2 refuses", e.getCause().getMessage());
            } else {
                assertEquals("k" + i, results.get(i).get(5, TimeUnit.SECONDS));
            }
        }
        assertNull(store.read(txn -> txn.get("batch", b("k2"))));
        assertEquals(5, count(store, "batch"), "blocker and the four good works");
        assertEquals(2, store.commitCount() - commitsBefore, "the blocker's commit, then one for the group of five");
    }

    @Test
    void insideAGroupAWorkSeesTheKeyspacesEarlierWorksCreatedButNotOneAFailedWorkCreated() throws Exception {
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> blocker = callers.submit(() -> store.write(txn -> {
            writerBusy.countDown();
            await(release);
            return null;
        }));
        assertTrue(writerBusy.await(5, TimeUnit.SECONDS));
        long commitsBefore = store.commitCount();
        // Queued one by one, so they run in this order in one group.
        Future<String> creates = callers.submit(() -> store.write(txn -> {
            String before = s(txn.get("fresh", b("a")));
            txn.put("fresh", b("a"), b("made"));
            return before + "/" + s(txn.get("fresh", b("a")));
        }));
        waitUntilQueued(1);
        Future<?> fails = callers.submit(() -> store.write(txn -> {
            txn.put("ghost", b("x"), b("v"));
            throw new IllegalStateException("refused");
        }));
        waitUntilQueued(2);
        Future<String> reads = callers.submit(() -> store.write(txn -> {
            List<String> ghosts = new ArrayList<>();
            txn.scan("ghost", null, (k, v) -> ghosts.add(s(k)));
            return s(txn.get("fresh", b("a"))) + "/" + ghosts;
        }));
        waitUntilQueued(3);
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);

        assertEquals("null/made", creates.get(5, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> fails.get(5, TimeUnit.SECONDS));
        assertEquals("made/[]", reads.get(5, TimeUnit.SECONDS));
        assertEquals(2, store.commitCount() - commitsBefore, "the blocker's commit, then one for the group of three");
        assertEquals(java.util.Map.of("fresh", 1L), store.status().entries());
    }

    @Test
    void withGroupCommitOffEveryWriteHasItsOwnCommitAndTheSwitchAppliesLive() throws Exception {
        store.updateSettings(store.settings().withGroupCommit(false));
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> blocker = callers.submit(() -> store.write(txn -> {
            writerBusy.countDown();
            await(release);
            txn.put("single", b("blocker"), b("ok"));
            return null;
        }));
        assertTrue(writerBusy.await(5, TimeUnit.SECONDS));
        long commitsBefore = store.commitCount();
        List<Future<?>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = "k" + i;
            queued.add(callers.submit(() -> store.write(txn -> {
                txn.put("single", b(key), b("v"));
                return null;
            })));
        }
        waitUntilQueued(5);
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        for (Future<?> write : queued) {
            write.get(5, TimeUnit.SECONDS);
        }
        assertEquals(6, count(store, "single"));
        assertEquals(6, store.commitCount() - commitsBefore, "the blocker's commit, then one per queued write");
    }

    private void waitUntilQueued(int works) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && store.queuedWrites() < works) {
            Thread.sleep(5);
        }
        assertEquals(works, store.queuedWrites());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
