package io.hearth.security.keys;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One API key as the key file declares it. Hearth never holds the secret, only its SHA-256.
 *
 * @param id the name shown in logs, problem bodies and the audit trail
 * @param secretSha256 the SHA-256 of the secret (32 bytes)
 * @param roles at least one; the highest decides ({@link #role()})
 * @param sources the sources a writer may ingest into; empty = every source
 * @param rate the request rate the key may not exceed; empty = no limit
 * @param maxConcurrent requests of this key the gateway works on at once; more are refused
 */
public record ApiKey(String id, byte[] secretSha256, Set<Role> roles, Optional<Set<String>> sources, Optional<Rate> rate,
                     int maxConcurrent) {
    /** Requests in flight per key when the key file does not say. */
    public static final int DEFAULT_MAX_CONCURRENT = 64;

    public ApiKey {
        if (secretSha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, got " + secretSha256.length);
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("key '" + id + "' has no role");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        secretSha256 = secretSha256.clone();
        roles = Set.copyOf(roles);
        sources = sources.map(s -> Set.copyOf(new TreeSet<>(s)));
    }

    /** The highest of the key's roles: the one that decides what it may do. */
    public Role role() {
        Role top = Role.READER;
        for (Role r : roles) {
            if (r.includes(top)) {
                top = r;
            }
        }
        return top;
    }

    /** Whether the key's scope covers {@code source}. */
    public boolean covers(String source) {
        return sources.map(s -> s.contains(source)).orElse(true);
    }

    /** The SHA-256 as the key file writes it. */
    public String secretSha256Hex() {
        return Secrets.hex(secretSha256);
    }

    @Override
    public byte[] secretSha256() {
        return secretSha256.clone();
    }

    /** Whether {@code sha256} is this key's hash, compared in constant time. */
    boolean matches(byte[] sha256) {
        return Secrets.constantTimeEquals(secretSha256, sha256);
    }

    @Override
    public String toString() {
        return "ApiKey[" + id + ", roles " + roles + sources.map(s -> ", sources " + s).orElse("") + "]";
    }
}
