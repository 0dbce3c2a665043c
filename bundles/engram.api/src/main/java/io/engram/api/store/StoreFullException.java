package io.engram.api.store;

/** The store cannot grow: the disk is full or the configured maximum size is reached. */
public class StoreFullException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
