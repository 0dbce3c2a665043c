package io.engram.api.store;

/**
 * A {@link Store} that follows the Store service as it comes and goes: bind it with a dynamic
 * optional reference ({@link #set} / {@link #unset}) and give it to code that needs a Store. A
 * call made while no Store is bound waits up to {@code waitMs} for one, then fails with
 * "storage unavailable"; work refused by a Store that is closing (a storage bundle update) runs
 * again on its replacement, which is safe because a closing store refuses only work it has not
 * started.
 */
public final class DynamicStore implements Store {

    private final ServiceSlot<Store> slot = new ServiceSlot<>();
    private final long waitMs;

    /** @param waitMs how long a call waits for a Store to be bound */
    public DynamicStore(long waitMs) {
        this.waitMs = waitMs;
    }

    public void set(Store store) {
        slot.set(store);
    }

    public void unset(Store leaving) {
        slot.unset(leaving);
    }

    @Override
    public <T> T read(ReadWork<T> work) {
        Store store = slot.await(waitMs);
        try {
            return store.read(work);
        } catch (StoreClosedException closing) {
            return slot.await(waitMs, store).read(work);
        }
    }

    @Override
    public <T> T write(WriteWork<T> work) {
        Store store = slot.await(waitMs);
        try {
            return store.write(work);
        } catch (StoreClosedException closing) {
            return slot.await(waitMs, store).write(work);
        }
    }

    /** The bound Store's status, or "unavailable" when none is bound; never waits. */
    @Override
    public StoreStatus status() {
        Store store = slot.current();
        return store != null ? store.status()
                : StoreStatus.of("", StoreStatus.State.UNAVAILABLE, "the storage bundle is not running");
    }
}
