package io.hearth.compute.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte form of an {@link EventBlock}'s values (its stored form 2): variable-length integers instead of 8 bytes
 * per long, event times as differences from the previous event, strings as a per-block dictionary and one small
 * code per event. Every write of an entity rewrites its inline tail, and the cost of a rewrite grows with its bytes
 * (write-ahead log records and their checksums, page memory, free lists), so this is what ingest pays per event
 * (decision 0013). Doubles and event id hashes stay 8 bytes: they do not shrink.
 */
final class BlockCodec {
    /** First byte of the stored column types when the values follow in this form. No column type has this code. */
    static final byte FORM_2 = (byte) 0xB2;

    /** Eight bytes at once, little-endian: doubles and hashes are most of a block's bytes to copy. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BlockCodec() {
    }

    /** A growing byte buffer with the writes the form needs. */
    static final class Out {
        private byte[] buf;
        private int n;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[n++] = (byte) v;
        }

        /** Unsigned LEB128: 7 bits a byte, 1 to 10 bytes. */
        void varlong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[n++] = (byte) v;
        }

        /** Zigzag, so that small negative numbers are short too. */
        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void raw64(long v) {
            ensure(8);
            LONG_LE.set(buf, n, v);
            n += 8;
        }

        void utf8(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varlong(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        /** {@code v[0]}, then each value's difference from the one before (wrapping: any longs round-trip). */
        void deltas(long[] v) {
            long prev = 0;
            for (long x : v) {
                zigzag(x - prev);
                prev = x;
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, n);
        }
    }

    /** Reads what {@link Out} wrote. */
    static final class In {
        private final byte[] buf;
        private int p;

        In(byte[] buf) {
            this.buf = buf;
        }

        int u8() {
            return buf[p++] & 0xFF;
        }

        long varlong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[p++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long zigzag() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        long raw64() {
            long v = (long) LONG_LE.get(buf, p);
            p += 8;
            return v;
        }

        String utf8() {
            int len = (int) varlong();
            String s = new String(buf, p, len, StandardCharsets.UTF_8);
            p += len;
            return s;
        }

        long[] deltas(int count) {
            long[] v = new long[count];
            long prev = 0;
            for (int i = 0; i < count; i++) {
                prev += zigzag();
                v[i] = prev;
            }
            return v;
        }

        boolean atEnd() {
            return p == buf.length;
        }
    }
}
