package io.engram.api.store;

import java.util.List;

/** An operation needs the store to itself, but other processes have it open. */
public class StoreInUseException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final List<Long> processIds;

    public StoreInUseException(String operation, List<Long> processIds) {
        super(operation + " refused: the store is open in other processes (PIDs " + processIds
                + "); close the IDE windows or Engram processes using it and try again");
        this.processIds = List.copyOf(processIds);
    }

    /** The other processes that have the store open. */
    public List<Long> processIds() {
        return processIds;
    }
}
