package io.engram.memory;

import io.engram.api.store.Store;
import io.engram.api.store.StoreStatus;
import io.engram.api.store.StoreUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Store service as it comes and goes (the storage bundle being updated or restarted).
 * The memory tools stay listed meanwhile: a call waits a bounded time for a Store to be
 * there again, then answers "storage unavailable", instead of the tools vanishing.
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

    private Store await() {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(waitMs);
            while (current == null) {
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
        return await().read(work);
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        return await().write(work);
    }

    @Override
    public StoreStatus status() {
        Store store = current;
        return store != null ? store.status()
                : StoreStatus.of("", StoreStatus.State.UNAVAILABLE, "the storage bundle is not running");
    }
}
