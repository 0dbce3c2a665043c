package io.engram.api.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A storage service (Store, StoreAdmin) bound through a dynamic optional reference, as it comes
 * and goes while the storage bundle is updated or restarted. Bind and unbind methods call
 * {@link #set} and {@link #unset}; a call takes the service with {@link #await}, which waits a
 * bounded time for it to be back, then throws {@link StoreUnavailableException}. So a tool
 * family stays listed while storage restarts instead of vanishing with it.
 *
 * @param <T> the service type
 */
public final class ServiceSlot<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private T current;

    /** Binds {@code service}, replacing any other; wakes calls waiting for one. */
    public void set(T service) {
        lock.lock();
        try {
            current = service;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Unbinds {@code leaving} if it is still the bound one (a replacement may already be set). */
    public void unset(T leaving) {
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
    public T current() {
        lock.lock();
        try {
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The service, waiting up to {@code waitMs} for one to be bound. */
    public T await(long waitMs) {
        return await(waitMs, null);
    }

    /**
     * The service, waiting up to {@code waitMs} while none is bound or only {@code leaving} (one
     * the caller found closing, whose replacement is about to be bound).
     */
    public T await(long waitMs, T leaving) {
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
}
