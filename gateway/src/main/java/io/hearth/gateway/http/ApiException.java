package io.hearth.gateway.http;

import io.hearth.catalog.HearthException;

/** A request Hearth refuses, with the HTTP status it answers and the field and rule at fault. */
public final class ApiException extends HearthException {
    private final int status;
    private long retryAfterSeconds = 1;

    public ApiException(int status, String code, String field, String rule, String message) {
        super(code, field, rule, message, status == 503, null);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** For a 503: when a retry makes sense (the Retry-After header). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void retryAfterSeconds(long seconds) {
        this.retryAfterSeconds = seconds;
    }

    public static ApiException badJson(String detail) {
        return new ApiException(400, ErrorCodes.MALFORMED_JSON, null, "json.syntax", "request body is not valid JSON: " + detail);
    }

    public static ApiException invalid(String field, String rule, String message) {
        return new ApiException(400, ErrorCodes.INVALID_FIELD, field, rule, message);
    }

    public static ApiException unsupportedMediaType(String got, String expected) {
        return new ApiException(415, ErrorCodes.MEDIA_TYPE, "Content-Type", "media_type",
            "Content-Type '" + got + "' is not accepted here; send " + expected);
    }

    public static ApiException notFound(String field, String rule, String message) {
        return new ApiException(404, ErrorCodes.NOT_FOUND, field, rule, message);
    }
}
