package io.hearth.security.audit;

import java.util.Optional;

/**
 * Which entries of the audit trail to read: those in {@code [fromMillis, toMillis]}, of one actor and one action when
 * given, the newest {@code limit} of them (returned oldest first).
 */
public record AuditQuery(long fromMillis, long toMillis, Optional<String> actor, Optional<String> action, int limit) {
    public static final int MAX_LIMIT = 100_000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(0, Long.MAX_VALUE, Optional.empty(), Optional.empty(), limit);
    }

    public boolean matches(AuditEntry e) {
        return e.atMillis() >= fromMillis && e.atMillis() <= toMillis && actor.map(a -> a.equals(e.actor())).orElse(true)
            && action.map(a -> a.equals(e.action())).orElse(true);
    }
}
