package io.hearth.security.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings an X.509 certificate needs (ITU-T X.690): enough to write one, not to read one (the JDK's
 * {@code CertificateFactory} reads, and checks, what this writes).
 */
final class Der {
    private Der() {
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... items) {
        return tlv(0x30, concat(items));
    }

    static byte[] set(byte[]... items) {
        return tlv(0x31, concat(items));
    }

    static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    static byte[] bool(boolean v) {
        return tlv(0x01, new byte[] {(byte) (v ? 0xff : 0)});
    }

    static byte[] octets(byte[] v) {
        return tlv(0x04, v);
    }

    /** A BIT STRING of whole bytes. */
    static byte[] bits(byte[] v) {
        byte[] c = new byte[v.length + 1];
        System.arraycopy(v, 0, c, 1, v.length);
        return tlv(0x03, c);
    }

    /** A named bit list (key usage): bit 0 is the most significant bit of the first byte; trailing zero bits dropped. */
    static byte[] namedBits(int... bitNumbers) {
        int max = 0;
        for (int b : bitNumbers) {
            max = Math.max(max, b);
        }
        byte[] v = new byte[max / 8 + 1];
        for (int b : bitNumbers) {
            v[b / 8] |= (byte) (0x80 >>> (b % 8));
        }
        int unused = 7 - max % 8;
        byte[] c = new byte[v.length + 1];
        c[0] = (byte) unused;
        System.arraycopy(v, 0, c, 1, v.length);
        return tlv(0x03, c);
    }

    static byte[] utf8(String s) {
        return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime until 2049, GeneralizedTime after, as RFC 5280 wants. */
    static byte[] time(long epochMillis) {
        ZonedDateTime t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        if (t.getYear() < 2050) {
            return tlv(0x17, t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(0x18, t.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
    }

    /** A context-specific tag: {@code [n]} constructed (explicit) or primitive (implicit). */
    static byte[] tagged(int n, boolean constructed, byte[] content) {
        return tlv((constructed ? 0xa0 : 0x80) | n, content);
    }

    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            int groups = 1;
            for (long x = v >>> 7; x != 0; x >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((v >>> (7 * g)) & 0x7f);
                out.write(g == 0 ? b : b | 0x80);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
