package io.hearth.feedback;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Request ids: the caller's ({@code X-Request-Id}), checked, or one generated here as a UUIDv7 (RFC 9562: 48 bits of
 * Unix milliseconds, then random bits), so that generated ids sort by time. An id is 1 to {@value #MAX_LENGTH}
 * characters of {@code A-Z a-z 0-9 . _ ~ : -}: it travels in URL paths ({@code /v1/feature-log/{request_id}}),
 * headers and file names unescaped.
 */
public final class RequestIds {
    public static final int MAX_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~:-]{1," + MAX_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** A new UUIDv7 at the clock's time. */
    public static String generate(Clock clock) {
        long ms = clock.millis();
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long hi = (ms << 16) | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
        long lo = 0x8000_0000_0000_0000L | ((r[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            lo |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        char[] c = new char[36];
        int p = 0;
        for (int i = 15; i >= 0; i--) {
            if (i == 7 || i == 3) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (hi >>> (4 * i)) & 0xF];
        }
        for (int i = 15; i >= 0; i--) {
            if (i == 15 || i == 11) {
                c[p++] = '-';
            }
            c[p++] = HEX[(int) (lo >>> (4 * i)) & 0xF];
        }
        return new String(c);
    }

    /** Whether {@code id} is a request id Hearth takes. */
    public static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code id} when it is a valid request id; else a 400 naming {@code field} and the rule {@code request_id.syntax}. */
    public static String check(String id, String field) {
        if (!valid(id)) {
            String shown = id == null ? "nothing" : id.length() > 60 ? "'" + id.substring(0, 57) + "...' (" + id.length()
                + " characters)" : "'" + id + "'";
            throw new HearthException(ErrorCode.INVALID_FIELD, field, "request_id.syntax", field + " must be 1 to "
                + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ ~ : -, got " + shown);
        }
        return id;
    }
}
