package io.engram.system;

import io.engram.api.store.StoreUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A storage service as it comes and goes (the storage bundle being updated or restarted). The
 * system tools stay listed meanwhile: a call waits a bounded time for the service to be back,
 * then answers "storage unavailable".
 */
final class ServiceSlot<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private T current;

    void set(T service) {
        lock.lock();
        try {
            current = service;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Clears the slot if it still holds {@code leaving} (a replacement may already be set). */
    void unset(T leaving) {
        lock.lock();
        try {
            if (current == leaving) {
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The service now, or null; never waits. */
    T current() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The service, waiting up to {@code waitMs} for it to come back. */
    T await(long waitMs) {
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
}
