package io.engram.api.store;

/** The store is closing or closed (host shutdown, bundle update); retry after it reopens. */
public class StoreClosedException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    public StoreClosedException(String reason) {
        super(reason, false, null);
    }
}
