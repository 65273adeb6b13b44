package io.hearth.catalog;

/**
 * Every error code Hearth answers with, in one place: the stable code scripts match on, and what it means. The
 * HTTP status of each is decided in one place too (the gateway's {@code Problems}); docs/errors.md lists them.
 */
public enum ErrorCode {
    /** The body is not valid JSON (or past the parser's limits). */
    MALFORMED_JSON("HEARTH-REQ-1"),
    /** A field is missing, of the wrong type or range, or names something unknown. */
    INVALID_FIELD("HEARTH-REQ-2"),
    /** The Content-Type is not one the endpoint accepts. */
    MEDIA_TYPE("HEARTH-REQ-3"),
    /** The body, or a record in it, is over the limit. */
    TOO_LARGE("HEARTH-REQ-4"),
    /** No such endpoint, source, registry version or job. */
    NOT_FOUND("HEARTH-REQ-5"),
    /** The method is not allowed on the path. */
    METHOD("HEARTH-REQ-6"),
    /**
     * A conflict: a training set of that name exists or is being built, a job is not finished, or a breaking change
     * reaches a feature service a registered model uses ({@code plan.breaking_in_use}), or a change breaks a source's
     * schema or contract ({@code plan.breaking_schema}).
     */
    CONFLICT("HEARTH-REQ-7"),
    /** A spine or training-set request that cannot be joined. */
    TRAINING("HEARTH-TRAIN-1"),
    /** Definitions that cannot be applied; every problem is listed. */
    DEFINITIONS("HEARTH-DEF-1"),
    /** The source's circuit breaker is open. */
    BREAKER_OPEN("HEARTH-INGEST-1"),
    /** The data grid could not complete the call. */
    GRID_UNAVAILABLE("HEARTH-GRID-1"),
    /** No consistent snapshot of an entity's events could be read while it was being written. */
    GRID_SNAPSHOT("HEARTH-GRID-2"),
    /** No API key, a malformed Authorization header, or a key the gateway does not know. */
    UNAUTHENTICATED("HEARTH-AUTH-1"),
    /** A known key without the role or the source scope the request needs. */
    FORBIDDEN("HEARTH-AUTH-2"),
    /** The key is over its request rate or its number of requests in flight. */
    RATE_LIMITED("HEARTH-AUTH-3"),
    /** A configuration a process refuses to start with: an invalid key file or cluster secret, an exposed address. */
    CONFIGURATION("HEARTH-CONF-1"),
    /** A bug. */
    INTERNAL("HEARTH-INTERNAL-1");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The stable code, e.g. {@code HEARTH-REQ-2}. */
    public String code() {
        return code;
    }
}
