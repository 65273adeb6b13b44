package io.hearth.compute.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The byte form of an {@link EventBlock}'s values (its stored form 2): variable-length integers instead of 8 bytes
 * per long, event times as differences from the previous event, strings as a per-block dictionary and one small
 * code per event. Every write of an entity rewrites its inline tail, and the cost of a rewrite grows with its bytes
 * (write-ahead log records and their checksums, page memory, free lists), so this is what ingest pays per event
 * (decision 0013). Doubles and event id hashes stay 8 bytes: they do not shrink.
 *
 * <p>The rest of a stored block (its column names and types, and how form 2 is told from form 1) is Ignite's binary
 * form, written by the block's serializer in {@code io.hearth.node.codec}.
 */
public final class BlockCodec {
    /** First byte of the stored column types when the values follow in this form. No column type has this code. */
    public static final byte FORM_2 = (byte) 0xB2;

    /** Eight bytes at once, little-endian: doubles and hashes are most of a block's bytes to copy. */
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BlockCodec() {
    }

    /** Every value of {@code b}: its size, event times, created times, id hashes, then per column nulls and values. */
    public static byte[] encode(EventBlock b) {
        int size = b.size;
        Out o = new Out(16 + size * (8 + 4 * b.names.length));
        o.varlong(size);
        o.deltas(b.ts);
        o.u8(b.created == null ? 0 : 1);
        if (b.created != null) {
            o.deltas(b.created);
        }
        o.u8(b.idHashes == null ? 0 : 1);
        if (b.idHashes != null) {
            for (long h : b.idHashes) {
                o.raw64(h);
            }
        }
        for (ColumnValues col : b.cols) {
            long[] nb = col.nulls();
            o.varlong(nb == null ? 0 : nb.length + 1L);
            if (nb != null) {
                for (long word : nb) {
                    o.raw64(word);
                }
            }
            switch (col.storage()) {
                case LONG -> {
                    for (long v : col.longs()) {
                        o.zigzag(v);
                    }
                }
                case DOUBLE -> {
                    for (double v : col.doubles()) {
                        o.raw64(Double.doubleToRawLongBits(v));
                    }
                }
                case STRING -> encodeStrings(o, col.strings());
            }
        }
        return o.bytes();
    }

    /** The distinct strings in order of first use, then per event its string's number (0 for null). */
    private static void encodeStrings(Out o, String[] values) {
        Map<String, Integer> dict = new LinkedHashMap<>();
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = values[i] == null ? 0 : dict.computeIfAbsent(values[i], k -> dict.size() + 1);
        }
        o.varlong(dict.size());
        for (String s : dict.keySet()) {
            o.utf8(s);
        }
        for (int code : codes) {
            o.varlong(code);
        }
    }

    /**
     * The block with these column names and types (codes of {@link io.hearth.catalog.ColumnType}) whose values
     * {@link #encode} wrote into {@code bytes}.
     *
     * @throws IllegalArgumentException when the values end before the bytes do
     */
    public static EventBlock decode(String[] names, byte[] types, byte[] bytes) {
        In in = new In(bytes);
        int size = (int) in.varlong();
        long[] ts = in.deltas(size);
        long[] created = in.u8() == 0 ? null : in.deltas(size);
        long[] idHashes = null;
        if (in.u8() != 0) {
            idHashes = new long[size];
            for (int i = 0; i < size; i++) {
                idHashes[i] = in.raw64();
            }
        }
        ColumnValues[] cols = new ColumnValues[names.length];
        for (int c = 0; c < names.length; c++) {
            long[] nulls = null;
            int words = (int) in.varlong() - 1;
            if (words >= 0) {
                nulls = new long[words];
                for (int k = 0; k < words; k++) {
                    nulls[k] = in.raw64();
                }
            }
            cols[c] = switch (Storage.ofCode(types[c])) {
                case LONG -> {
                    long[] l = new long[size];
                    for (int i = 0; i < size; i++) {
                        l[i] = in.zigzag();
                    }
                    yield ColumnValues.ofLongs(l, nulls);
                }
                case DOUBLE -> {
                    double[] d = new double[size];
                    for (int i = 0; i < size; i++) {
                        d[i] = Double.longBitsToDouble(in.raw64());
                    }
                    yield ColumnValues.ofDoubles(d, nulls);
                }
                case STRING -> {
                    String[] dict = new String[(int) in.varlong() + 1];
                    for (int k = 1; k < dict.length; k++) {
                        dict[k] = in.utf8();
                    }
                    String[] v = new String[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = dict[(int) in.varlong()];
                    }
                    yield ColumnValues.ofStrings(v, nulls);
                }
            };
        }
        if (!in.atEnd()) {
            throw new IllegalArgumentException("event block: " + bytes.length + " bytes, but the columns end before that");
        }
        return new EventBlock(names, types, size, ts, created, idHashes, cols);
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
