package io.hearth.feedback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which lookups are logged: decided by the request id alone, so that the decision can be predicted by a caller and
 * is the same when a request is replayed. The request id's <em>sample key</em> is the first 8 bytes of the SHA-256
 * of its UTF-8 bytes read as an unsigned big-endian integer, shifted right by 11 (53 bits); a lookup is logged when
 * {@code key / 2^53 < sample_rate}. In Python:
 * {@code (int.from_bytes(hashlib.sha256(rid.encode()).digest()[:8], "big") >> 11) / 2**53 < rate}.
 * SHA-256 spreads any set of ids (sequential counters, UUIDs sharing a prefix) uniformly, so the share logged is
 * binomial with the rate.
 */
public final class Sampling {
    private static final double TWO_TO_53 = 0x1p53;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Sampling() {
    }

    /** The request id's sample key, from 0 to 2^53 - 1: uniform over ids, and the order samples of logs are drawn in. */
    public static long key(String requestId) {
        byte[] h = SHA256.get().digest(requestId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return v >>> 11;
    }

    /** Whether a lookup with this request id is logged at {@code rate} (0: never, 1: always). */
    public static boolean sampled(String requestId, double rate) {
        if (rate >= 1) {
            return true;
        }
        if (rate <= 0) {
            return false;
        }
        return key(requestId) / TWO_TO_53 < rate;
    }
}
