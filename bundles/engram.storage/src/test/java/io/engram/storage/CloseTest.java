package io.engram.storage;

import static io.engram.storage.Bytes.b;
import static io.engram.storage.Bytes.count;
import static io.engram.storage.Bytes.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloseTest {

    @TempDir
    Path tmp;

    @Test
    void closingUnderLoadNeverCrashesAndKeepsEveryAcknowledgedWrite() throws Exception {
        StoreSettings settings = StoreSettings.defaults(tmp.resolve("store"));
        LmdbStore store = new LmdbStore(settings);
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger closedErrors = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            boolean writer = t % 2 == 0;
            workers.add(threads.submit(() -> {
                for (int i = 0; ; i++) {
                    String key = thread + ":" + i;
                    try {
                        if (writer) {
                            store.write(txn -> {
                                txn.put("load", b(key), b("v"));
                                return null;
                            });
                            acknowledged.add(key);
                        } else {
                            store.read(txn -> {
                                txn.scan("load", null, (k, v) -> true);
                                return txn.count("load");
                            });
                            reads.incrementAndGet();
                        }
                    } catch (StoreClosedException e) {
                        closedErrors.incrementAndGet();
                        return;
                    }
                }
            }));
        }
        Thread.sleep(300);
        store.close();
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS); // every worker ended with StoreClosedException, none crashed
        }
        threads.shutdown();
        assertEquals(16, closedErrors.get());
        assertTrue(acknowledged.size() > 0, "no write was acknowledged before the close");
        assertTrue(reads.get() > 0);

        LmdbStore reopened = new LmdbStore(settings);
        reopened.start();
        try {
            assertTrue(reopened.awaitOpen(Duration.ofSeconds(10)));
            List<String> missing = new ArrayList<>();
            for (String key : acknowledged) {
                if (get(reopened, "load", key) == null) {
                    missing.add(key);
                }
            }
            assertEquals(List.of(), missing, "acknowledged writes lost by the close");
        } finally {
            reopened.close();
        }
    }

    @Test
    void closingWhileSixteenThreadsReadAndWriteNeverCrashesOrHangsInFiftyRounds() throws Exception {
        StoreSettings settings = StoreSettings.defaults(tmp.resolve("store"));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 50; round++) {
                LmdbStore store = new LmdbStore(settings);
                store.start();
                assertTrue(store.awaitOpen(Duration.ofSeconds(10)), "round " + round);
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                CountDownLatch started = new CountDownLatch(16);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    String prefix = round + ":" + t + ":";
                    boolean writer = t % 2 == 0;
                    workers.add(threads.submit(() -> {
                        started.countDown();
                        for (int i = 0; ; i++) {
                            String key = prefix + i;
                            try {
                                if (writer) {
                                    store.write(txn -> {
                                        txn.put("load", b(key), b("v"));
                                        return null;
                                    });
                                    acknowledged.add(key);
                                } else {
                                    store.read(txn -> txn.get("load", b(key)));
                                }
                            } catch (StoreClosedException e) {
                                return;
                            }
                        }
                    }));
                }
                assertTrue(started.await(5, TimeUnit.SECONDS));
                Thread.sleep(round % 10);
                store.close();
                for (Future<?> worker : workers) {
                    worker.get(10, TimeUnit.SECONDS);
                }
                assertEquals(StoreStatus.State.UNAVAILABLE, store.status().state());
                // "closing" would mean the drain timed out and the environment was left open.
                assertEquals("closed", store.status().detail(), "round " + round + " closed the environment");
                if (round % 10 == 9) {
                    assertAcknowledgedPresent(settings, acknowledged);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void assertAcknowledgedPresent(StoreSettings settings, Set<String> acknowledged) {
        LmdbStore reopened = new LmdbStore(settings);
        reopened.start();
        try {
            assertTrue(reopened.awaitOpen(Duration.ofSeconds(10)));
            List<String> missing = acknowledged.stream().filter(key -> get(reopened, "load", key) == null).toList();
            assertEquals(List.of(), missing, "acknowledged writes lost by the close");
        } finally {
            reopened.close();
        }
    }

    @Test
    void queuedWritesThatNeverStartedFailAsClosedAndRunningOnesFinish() throws Exception {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")).withDrainTimeoutMs(5000));
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> running = threads.submit(() -> store.write(txn -> {
            writerBusy.countDown();
            awaitQuietly(release);
            txn.put("k", b("running"), b("v"));
            return null;
        }));
        assertTrue(writerBusy.await(5, TimeUnit.SECONDS));
        Future<?> queued = threads.submit(() -> store.write(txn -> {
            txn.put("k", b("queued"), b("v"));
            return null;
        }));
        while (store.queuedWrites() < 1) {
            Thread.sleep(5);
        }
        Future<?> closing = threads.submit(store::close);
        Thread.sleep(200);
        assertEquals(StoreStatus.State.UNAVAILABLE, store.status().state());
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        running.get(5, TimeUnit.SECONDS);
        Exception refused = assertThrows(Exception.class, () -> queued.get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof StoreClosedException, refused.toString());
        threads.shutdown();

        LmdbStore reopened = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")));
        reopened.start();
        try {
            assertTrue(reopened.awaitOpen(Duration.ofSeconds(10)));
            assertEquals("v", get(reopened, "k", "running"));
            assertEquals(null, get(reopened, "k", "queued"));
        } finally {
            reopened.close();
        }
    }

    @Test
    void closeLogsItsStepsInOrder() {
        try (CapturedLogs logs = new CapturedLogs()) {
            LmdbStore store = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")));
            store.start();
            assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
            store.close();
            List<String> info = logs.messages(Level.INFO);
            int flushing = info.indexOf("Flushing: waiting for 0 in-flight transactions");
            int closing = info.indexOf("Closing database " + store.dir());
            int closed = info.indexOf("Database closed");
            assertTrue(flushing >= 0 && flushing < closing && closing < closed, info.toString());
        }
    }

    @Test
    void aStuckTransactionLeavesTheDatabaseOpenAndIsNamed() throws Exception {
        LmdbStore store = new LmdbStore(StoreSettings.defaults(tmp.resolve("store")).withDrainTimeoutMs(200));
        store.start();
        assertTrue(store.awaitOpen(Duration.ofSeconds(10)));
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = new Thread(() -> store.read(txn -> {
            reading.countDown();
            awaitQuietly(release);
            return txn.count("k"); // the environment must still be open here
        }), "stuck-reader");
        reader.start();
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        try (CapturedLogs logs = new CapturedLogs()) {
            store.close();
            List<String> warnings = logs.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("did not drain within 200 ms"), warnings.get(0));
            assertTrue(warnings.get(0).contains("read on thread 'stuck-reader'"), warnings.get(0));
            assertEquals(List.of(), logs.messages(Level.INFO).stream().filter(m -> m.equals("Database closed")).toList());
        }
        release.countDown();
        reader.join(5000);
        assertThrows(StoreClosedException.class, () -> count(store, "k"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
