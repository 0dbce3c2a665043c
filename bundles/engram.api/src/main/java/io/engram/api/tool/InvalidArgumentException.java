package io.engram.api.tool;

/**
 * An argument is missing, of the wrong type or out of range. The host turns it into an
 * error result that names the field, so the model can correct its call.
 */
public class InvalidArgumentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidArgumentException(String field, String problem) {
        super("invalid argument '" + field + "': " + problem);
        this.field = field;
    }

    /** The argument's name (a dotted path for nested fields). */
    public String field() {
        return field;
    }
}
