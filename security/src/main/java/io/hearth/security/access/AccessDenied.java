package io.hearth.security.access;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.security.keys.ApiKey;
import io.hearth.security.keys.Role;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request refused before any work: no key or an unknown one ({@link ErrorCode#UNAUTHENTICATED}), a key without
 * the role or the source scope the route needs ({@link ErrorCode#FORBIDDEN}), or a key over its limits
 * ({@link ErrorCode#RATE_LIMITED}). Names what is missing ({@link #missingRole}, {@link #missingScope}) and, when
 * waiting helps, how long ({@link #retryAfterSeconds}). Never names a secret.
 */
public final class AccessDenied extends HearthException {
    private final Optional<Role> missingRole;
    private final Optional<String> missingScope;
    private final OptionalLong retryAfterSeconds;

    private AccessDenied(ErrorCode code, String field, String rule, String message, Optional<Role> missingRole,
                         Optional<String> missingScope, OptionalLong retryAfterSeconds) {
        super(code, field, rule, message);
        this.missingRole = missingRole;
        this.missingScope = missingScope;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static AccessDenied noKey() {
        return unauthenticated("auth.missing", "this endpoint needs an API key: send the header 'Authorization: Bearer "
            + "<secret>' (./hearth keys new makes one; the CLI takes --token or HEARTH_TOKEN)");
    }

    static AccessDenied malformed() {
        return unauthenticated("auth.malformed", "the Authorization header is not 'Bearer <secret>'");
    }

    static AccessDenied unknownKey() {
        return unauthenticated("auth.unknown_key", "the API key is not one of this gateway's keys (or was removed "
            + "from its key file)");
    }

    private static AccessDenied unauthenticated(String rule, String message) {
        return new AccessDenied(ErrorCode.UNAUTHENTICATED, "Authorization", rule, message, Optional.empty(),
            Optional.empty(), OptionalLong.empty());
    }

    static AccessDenied role(ApiKey key, Role needed, String route) {
        return new AccessDenied(ErrorCode.FORBIDDEN, "Authorization", "role." + needed.label(), "key '" + key.id()
            + "' has role " + key.role().label() + "; " + route + " needs role " + needed.label(), Optional.of(needed),
            Optional.empty(), OptionalLong.empty());
    }

    static AccessDenied scope(ApiKey key, String param, String value) {
        return new AccessDenied(ErrorCode.FORBIDDEN, param, "scope." + param, "key '" + key.id() + "' may ingest into "
            + "sources " + key.sources().map(s -> String.join(", ", new java.util.TreeSet<>(s))).orElse("(all)")
            + ", not '" + value + "'", Optional.empty(), Optional.of(param + ":" + value), OptionalLong.empty());
    }

    static AccessDenied rate(ApiKey key, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return new AccessDenied(ErrorCode.RATE_LIMITED, "Authorization", "rate.requests", "key '" + key.id()
            + "' is over its rate of " + key.rate().map(r -> fmt(r.perSecond()) + "/s, bursts of " + r.burst()).orElse("?")
            + "; retry in " + seconds + " s", Optional.empty(), Optional.empty(), OptionalLong.of(seconds));
    }

    static AccessDenied concurrency(ApiKey key) {
        return new AccessDenied(ErrorCode.RATE_LIMITED, "Authorization", "rate.concurrent", "key '" + key.id()
            + "' already has " + key.maxConcurrent() + " requests in flight, its limit", Optional.empty(), Optional.empty(),
            OptionalLong.of(1));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The role the key lacks (403 for a role). */
    public Optional<Role> missingRole() {
        return missingRole;
    }

    /** The scope the key lacks, as {@code source:NAME} (403 for a scope). */
    public Optional<String> missingScope() {
        return missingScope;
    }

    /** Seconds after which the same request may pass (429). */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
