package io.hearth.catalog;

/**
 * Base of Hearth's errors: a stable {@link ErrorCode}, the field and rule at fault when there is
 * one, and whether retrying the same call can help. The gateway turns these into RFC 9457 problem bodies in
 * one place; codes are documented in docs/errors.md.
 */
public class HearthException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final String rule;
    private final boolean retriable;

    public HearthException(ErrorCode code, String field, String rule, String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.field = field;
        this.rule = rule;
        this.retriable = retriable;
    }

    public HearthException(ErrorCode code, String field, String rule, String message) {
        this(code, field, rule, message, false, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** The request or record field at fault, or null. */
    public String field() {
        return field;
    }

    /** The rule broken, e.g. {@code schema.type}, or null. */
    public String rule() {
        return rule;
    }

    public boolean retriable() {
        return retriable;
    }
}
