package io.hearth.gateway.http;

/** Stable error codes of the HTTP API; each is documented in docs/errors.md. */
public final class ErrorCodes {
    public static final String MALFORMED_JSON = "HEARTH-REQ-1";
    public static final String INVALID_FIELD = "HEARTH-REQ-2";
    public static final String MEDIA_TYPE = "HEARTH-REQ-3";
    public static final String TOO_LARGE = "HEARTH-REQ-4";
    public static final String NOT_FOUND = "HEARTH-REQ-5";
    public static final String METHOD = "HEARTH-REQ-6";
    public static final String CONFLICT = "HEARTH-REQ-7";
    public static final String BREAKER_OPEN = "HEARTH-INGEST-1";
    public static final String GRID_UNAVAILABLE = "HEARTH-GRID-1";
    public static final String INTERNAL = "HEARTH-INTERNAL-1";

    private ErrorCodes() {
    }
}
