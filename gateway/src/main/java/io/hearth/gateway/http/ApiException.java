package io.hearth.gateway.http;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;

/**
 * A request the gateway refuses, with the code, field and rule at fault; its HTTP status follows from the code
 * ({@link Problems#status}), except for the few answers the HTTP layer itself decides (a status it was handed).
 */
public final class ApiException extends HearthException {
    private final int statusOverride;

    public ApiException(ErrorCode code, String field, String rule, String message) {
        this(0, code, field, rule, message);
    }

    private ApiException(int statusOverride, ErrorCode code, String field, String rule, String message) {
        super(code, field, rule, message, false, null);
        this.statusOverride = statusOverride;
    }

    /** An answer whose status the HTTP layer decided (e.g. 414 from the codec), with the code closest to it. */
    static ApiException withStatus(int status, ErrorCode code, String rule, String message) {
        return new ApiException(status, code, null, rule, message);
    }

    /** The status this answer must have, or 0 when the code decides it. */
    int statusOverride() {
        return statusOverride;
    }

    public static ApiException badJson(String detail) {
        return new ApiException(ErrorCode.MALFORMED_JSON, null, "json.syntax", "request body is not valid JSON: " + detail);
    }

    public static ApiException invalid(String field, String rule, String message) {
        return new ApiException(ErrorCode.INVALID_FIELD, field, rule, message);
    }

    public static ApiException unsupportedMediaType(String got, String expected) {
        return new ApiException(ErrorCode.MEDIA_TYPE, "Content-Type", "media_type",
            "Content-Type '" + got + "' is not accepted here; send " + expected);
    }

    public static ApiException notFound(String field, String rule, String message) {
        return new ApiException(ErrorCode.NOT_FOUND, field, rule, message);
    }
}
