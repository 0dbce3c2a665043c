package io.engram.kg;

import io.engram.api.store.Store;
import io.engram.api.store.StoreClosedException;
import io.engram.api.store.StoreStatus;
import io.engram.api.store.StoreUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Store service as it comes and goes (the storage bundle being updated or restarted).
 * The kg tools stay listed meanwhile: a call waits a bounded time for a Store to be
 * there again (also when the one it reached was closing), then answers "storage
 * unavailable", instead of the tools vanishing.
 */
final class StoreHandle implements Store {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long waitMs;
    private Store current;

    StoreHandle(long waitMs) {
        this.waitMs = waitMs;
    }

    void set(Store store) {
        lock.lock();
        try {
            current = store;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Clears the store if it is still {@code leaving} (a replacement may already be set). */
    void unset(Store leaving) {
        lock.lock();
        try {
            if (current == leaving) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The bound store, waiting (bounded) while there is none or only {@code leaving}, which is closing. */
    private Store await(Store leaving) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (current == null || current == leaving) {
                if (nanos <= 0) {
                    throw new StoreUnavailableException("the storage bundle is not running", false, null);
                }
                nanos = changed.awaitNanos(nanos);
            }
            return current;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the storage bundle", false, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T read(ReadWork<T> work) {
        Store store = await(null);
        try {
            return store.read(work);
        } catch (StoreClosedException closing) {
            return await(store).read(work);
        }
    }

    /**
     * A store that is closing refuses work it has not started, so the work never happened: it
     * is safe to run it once more on the instance that replaces it (a storage bundle update).
     */
    @Override
    public <T> T write(WriteWork<T> work) {
        Store store = await(null);
        try {
            return store.write(work);
        } catch (StoreClosedException closing) {
            return await(store).write(work);
        }
    }

    @Override
    public StoreStatus status() {
        Store store = current;
        return store != null ? store.status()
                : StoreStatus.of("", StoreStatus.State.UNAVAILABLE, "the storage bundle is not running");
    }
}
