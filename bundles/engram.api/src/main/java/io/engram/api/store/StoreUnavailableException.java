package io.engram.api.store;

/**
 * The store is not open (still opening, retrying a locked store, or failed to open). The
 * message says why; {@link #retrying()} tells whether the host is still trying.
 */
public class StoreUnavailableException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final boolean retrying;

    public StoreUnavailableException(String reason, boolean retrying, Throwable cause) {
        super("storage unavailable: " + reason + (retrying ? "; retrying" : ""), cause);
        this.retrying = retrying;
    }

    public boolean retrying() {
        return retrying;
    }
}
