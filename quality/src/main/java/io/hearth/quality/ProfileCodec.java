package io.hearth.quality;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A profile part as bytes: a version, the moments, then the sketches in their own serial forms (DataSketches'
 * compact formats). Bytes rather than a binary object: no type for every node to know, and a format this class owns.
 */
final class ProfileCodec {
    private static final int VERSION = 1;

    private ProfileCodec() {
    }

    static byte[] encode(ColumnProfile.Part p) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + (p.kll() == null ? 0 : p.kll().length)
                + p.hll().length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeBoolean(p.numeric());
            out.writeLong(p.count());
            out.writeLong(p.nulls());
            out.writeLong(p.numbers());
            out.writeDouble(p.min());
            out.writeDouble(p.max());
            out.writeDouble(p.mean());
            out.writeDouble(p.m2());
            out.writeInt(p.kll() == null ? -1 : p.kll().length);
            if (p.kll() != null) {
                out.write(p.kll());
            }
            out.writeInt(p.hll().length);
            out.write(p.hll());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ColumnProfile.Part decode(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            int v = in.readByte();
            if (v != VERSION) {
                throw new IllegalStateException("a stored profile part has version " + v + ", this build reads " + VERSION);
            }
            boolean numeric = in.readBoolean();
            long count = in.readLong();
            long nulls = in.readLong();
            long numbers = in.readLong();
            double min = in.readDouble();
            double max = in.readDouble();
            double mean = in.readDouble();
            double m2 = in.readDouble();
            int kl = in.readInt();
            byte[] kll = null;
            if (kl >= 0) {
                kll = in.readNBytes(kl);
            }
            byte[] hll = in.readNBytes(in.readInt());
            return new ColumnProfile.Part(numeric, count, nulls, numbers, min, max, mean, m2, kll, hll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
