package io.hearth.security.access;

import io.hearth.security.keys.ApiKey;
import io.hearth.security.keys.ApiKeys;
import io.hearth.security.keys.Role;
import io.hearth.security.limits.InFlight;
import io.hearth.security.limits.RateLimiter;
import java.util.Optional;

/**
 * Decides every request before any work is done, from its method, path and {@code Authorization} header alone:
 * open routes pass; otherwise the key is found (401 without one), held to its rate and requests in flight (429),
 * then to the route's role and source scope (403). What the decision rests on is a table ({@link RouteRules}), a key
 * store ({@link ApiKeys}) and the limiters, each replaceable in tests; it knows no HTTP library.
 */
public final class Gatekeeper {
    private final RouteRules rules;
    private final ApiKeys keys;
    private final RateLimiter rates;
    private final InFlight inFlight;

    public Gatekeeper(RouteRules rules, ApiKeys keys, RateLimiter rates, InFlight inFlight) {
        this.rules = rules;
        this.keys = keys;
        this.rates = rates;
        this.inFlight = inFlight;
    }

    /** What was decided. */
    public sealed interface Decision {
        /** The rule the request fell under; empty for a route no rule covers (which needs an admin key). */
        Optional<RouteRule> rule();
    }

    /** An open route: no key asked for, none looked at. */
    public record Open(Optional<RouteRule> rule) implements Decision {
    }

    /** A key that may make this request. {@link #release()} must be called once when the request ends. */
    public record Admitted(ApiKey key, Optional<RouteRule> rule, Runnable release) implements Decision {
    }

    /** Refused: {@code why} says which rule failed; {@code key} is the key when it was found. */
    public record Refused(AccessDenied why, Optional<ApiKey> key, Optional<RouteRule> rule) implements Decision {
    }

    public Decision decide(String method, String path, String authorization) {
        Optional<RouteRules.Match> match = rules.match(method, path);
        Optional<RouteRule> rule = match.map(RouteRules.Match::rule);
        Access access = rule.map(RouteRule::access).orElse(Access.ADMIN);
        if (access == Access.OPEN) {
            return new Open(rule);
        }
        if (authorization == null) {
            return new Refused(AccessDenied.noKey(), Optional.empty(), rule);
        }
        String secret = bearer(authorization);
        if (secret == null) {
            return new Refused(AccessDenied.malformed(), Optional.empty(), rule);
        }
        Optional<ApiKey> found = keys.find(secret);
        if (found.isEmpty()) {
            return new Refused(AccessDenied.unknownKey(), Optional.empty(), rule);
        }
        ApiKey key = found.get();
        if (key.rate().isPresent()) {
            long wait = rates.tryAcquire(key.id(), key.rate().get());
            if (wait > 0) {
                return new Refused(AccessDenied.rate(key, wait), found, rule);
            }
        }
        Role needed = access.role().orElseThrow();
        if (!key.role().includes(needed)) {
            return new Refused(AccessDenied.role(key, needed, rule.map(RouteRule::route).orElse(method + " " + path)),
                found, rule);
        }
        if (match.isPresent() && match.get().scopeValue().isPresent() && !key.covers(match.get().scopeValue().get())) {
            return new Refused(AccessDenied.scope(key, match.get().rule().scope().orElseThrow(),
                match.get().scopeValue().get()), found, rule);
        }
        if (!inFlight.tryAcquire(key.id(), key.maxConcurrent())) {
            return new Refused(AccessDenied.concurrency(key), found, rule);
        }
        return new Admitted(key, rule, () -> inFlight.release(key.id()));
    }

    /**
     * The token of {@code Bearer <token>} (scheme case-insensitive, RFC 6750's token characters), or null when the
     * header is anything else.
     */
    static String bearer(String header) {
        if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        int start = 7;
        while (start < header.length() && header.charAt(start) == ' ') {
            start++;
        }
        int end = header.length();
        while (end > start && header.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end || end - start > 512) {
            return null;
        }
        for (int i = start; i < end; i++) {
            char c = header.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return null;
            }
        }
        return header.substring(start, end);
    }
}
