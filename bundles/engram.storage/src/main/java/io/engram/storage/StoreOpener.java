package io.engram.storage;

import io.engram.storage.OpenErrorClassifier.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.nio.ByteBuffer;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Meta;

/**
 * Opens an LMDB environment on a background thread under the retry policy: transient failures
 * are retried with growing, jittered delays, each logged as "Database locked, retrying in 150 ms
 * (attempt 2/10)"; after the attempts or the deadline run out it keeps retrying at the ceiling
 * interval; fatal failures end it at once with a message that says what to do.
 *
 * <p>Each native open runs on a thread of its own with a timeout, because on Linux a peer's
 * conflicting lock makes {@code mdb_env_open} block without error. A blocked open is never
 * abandoned for a second one: two opens of one environment in a process would drop each
 * other's locks, so later attempts keep waiting for the same one.
 */
final class StoreOpener {

    /** What the opener reports to its store. */
    interface Listener {

        /** Takes the opened environment; false when the store no longer wants it (it is closing). */
        boolean opened(Env<ByteBuffer> env, int attempts, long elapsedMs);

        /** An attempt failed in a way worth retrying. */
        void retrying(String reason, Throwable cause);

        /** Opening failed for good. */
        void failed(String message, Throwable cause);
    }

    private static final Logger LOG = Logger.getLogger(StoreOpener.class.getName());

    /** Folders whose environment this class loader has open (or is opening): LMDB allows one per process. */
    private static final Set<Path> OPEN_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final StoreSettings settings;
    private final Path dir;
    private final OpenErrorClassifier classifier;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean stopped;

    StoreOpener(StoreSettings settings, Path dir, OpenErrorClassifier classifier, Listener listener) {
        this.settings = settings;
        this.dir = dir;
        this.classifier = classifier;
        this.listener = listener;
        this.thread = new Thread(this::run, "engram-store-open");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops retrying; an open still blocked in native code is closed when it completes. */
    void stop() {
        stopped = true;
        thread.interrupt();
    }

    /**
     * Waits up to {@code timeoutMs} for the opener thread to end after {@link #stop()}. It may be
     * loading the native library, which cannot be interrupted; a process that exits meanwhile can
     * crash inside the dynamic loader (SIGBUS seen here), so closing waits for it, bounded.
     */
    boolean awaitStopped(long timeoutMs) {
        try {
            thread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Where native libraries are extracted: lmdbjava's folder (the host sets it), else the temp folder. */
    private static Path nativeFolder() {
        String dir = System.getProperty("lmdbjava.extract.dir");
        return Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir"));
    }

    /** Releases the folder once its environment is closed, so that it can be opened again. */
    static void release(Path dir) {
        OPEN_IN_THIS_PROCESS.remove(dir);
    }

    /**
     * The delay after failed attempt number {@code failedAttempt} (1-based): the first delay
     * grown by the backoff factor per attempt, varied by up to 10% so that processes started
     * together do not retry in lockstep, and capped at the ceiling.
     *
     * @param random a number in [0, 1)
     */
    static long delayMs(StoreSettings settings, int failedAttempt, double random) {
        double grown = settings.openFirstDelayMs() * Math.pow(settings.openBackoff(), failedAttempt - 1);
        double capped = Math.min(grown, settings.openMaxDelayMs());
        long jittered = Math.round(capped * (0.9 + 0.2 * random));
        return Math.max(1, Math.min(jittered, settings.openMaxDelayMs()));
    }

    private void run() {
        // lmdbjava extracts its native library through the context class loader; inside OSGi
        // that must be the library bundle's loader.
        Thread.currentThread().setContextClassLoader(Env.class.getClassLoader());
        long started = System.nanoTime();
        Verdict unusable = prepareFolder();
        if (unusable != null) {
            LOG.severe(unusable.message());
            listener.failed(unusable.message(), null);
            return;
        }
        JffiStub.prepare(Env.class.getClassLoader(), nativeFolder());
        try {
            Meta.version(); // loads the native library, so that its cost is not taken for a blocked open
        } catch (Throwable e) {
            Verdict verdict = classifier.classify(e, dir);
            LOG.severe(verdict.message());
            listener.failed(verdict.message(), e);
            return;
        }
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(settings.openDeadlineMs());
        boolean background = false;
        CompletableFuture<Env<ByteBuffer>> pending = null;
        for (int attempt = 1; !stopped; attempt++) {
            Verdict verdict;
            Throwable cause = null;
            if (pending == null && OPEN_IN_THIS_PROCESS.add(dir)) {
                pending = startAttempt();
            }
            if (pending == null) {
                verdict = classifier.openInThisProcess();
            } else {
                try {
                    Env<ByteBuffer> env = pending.get(settings.openAttemptTimeoutMs(), TimeUnit.MILLISECONDS);
                    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    if (!listener.opened(env, attempt, elapsedMs)) {
                        closeUnwanted(env);
                    }
                    return;
                } catch (TimeoutException e) {
                    verdict = classifier.blocked();
                } catch (ExecutionException e) {
                    pending = null;
                    release(dir);
                    cause = e.getCause();
                    verdict = classifier.classify(cause, dir);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (!verdict.retry()) {
                LOG.severe(verdict.message());
                listener.failed(verdict.message(), cause);
                return;
            }
            listener.retrying(verdict.reason(), cause);
            long delay = delayMs(settings, attempt, ThreadLocalRandom.current().nextDouble());
            if (!background && (attempt >= settings.openAttempts() || System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(delay) > deadline)) {
                background = true;
                LOG.warning("Could not open the database at " + dir + " within " + settings.openDeadlineMs()
                        + " ms (" + attempt + " attempts, " + verdict.reason() + "); retrying every "
                        + settings.openMaxDelayMs() + " ms in the background");
            }
            if (background) {
                delay = settings.openMaxDelayMs();
                LOG.warning(verdict.label() + ", retrying in " + delay + " ms (attempt " + attempt + ", in the background)");
            } else {
                LOG.warning(verdict.label() + ", retrying in " + delay + " ms (attempt " + attempt + "/"
                        + settings.openAttempts() + ")");
            }
            if (!pause(delay, pending)) {
                break;
            }
        }
        if (pending != null) {
            pending.whenComplete((env, error) -> {
                if (env != null) {
                    env.close();
                }
                release(dir);
            });
        }
    }

    private Verdict prepareFolder() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return Verdict.fatal(dir, "the path is a file, not a folder",
                    "Move the file away or set another path in config/engram.storage.cfg");
        }
        try {
            Files.createDirectories(dir);
            return null;
        } catch (IOException e) {
            return Verdict.fatal(dir, "the folder could not be created (" + e + ")",
                    "Check that the user running Engram may create it, or set another path in config/engram.storage.cfg");
        }
    }

    private CompletableFuture<Env<ByteBuffer>> startAttempt() {
        CompletableFuture<Env<ByteBuffer>> result = new CompletableFuture<>();
        Thread attempt = new Thread(() -> {
            Thread.currentThread().setContextClassLoader(Env.class.getClassLoader());
            try {
                result.complete(openEnv(settings, dir, settings.initialMapSizeBytes()));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "engram-store-open-attempt");
        attempt.setDaemon(true);
        attempt.start();
        return result;
    }

    /**
     * Opens the environment in {@code dir} in the calling thread, the way every process must
     * (same reader limit, MDB_NOTLS, durable commits). On Linux this blocks while a peer holds
     * the lock file's exclusive lock; LMDB takes the larger of {@code mapSize} and the size the
     * database already uses.
     */
    static Env<ByteBuffer> openEnv(StoreSettings settings, Path dir, long mapSize) {
        return Env.create(LmdbBuffers.proxy())
                .setMapSize(mapSize)
                .setMaxDbs(settings.maxKeyspaces())
                .setMaxReaders(settings.maxReaders())
                // MDB_NOTLS: read transactions are not tied to threads, so a pool of
                // threads does not pin one reader slot each. No MDB_NOSYNC: commits are durable.
                .open(dir.toFile(), EnvFlags.MDB_NOTLS);
    }

    /** Waits {@code delayMs}, or less if the pending open completes; false when stopped. */
    private boolean pause(long delayMs, CompletableFuture<Env<ByteBuffer>> pending) {
        try {
            if (pending == null) {
                Thread.sleep(delayMs);
            } else {
                pending.get(delayMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            return false;
        } catch (ExecutionException | TimeoutException e) {
            // The next attempt looks at the outcome.
        }
        return !stopped;
    }

    private void closeUnwanted(Env<ByteBuffer> env) {
        env.close();
        release(dir);
    }
}
