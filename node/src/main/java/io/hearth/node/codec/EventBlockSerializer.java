package io.hearth.node.codec;

import io.hearth.compute.events.BlockCodec;
import io.hearth.compute.events.ColumnValues;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.Storage;
import java.util.Arrays;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinarySerializer;
import org.apache.ignite.binary.BinaryWriter;

/**
 * Ignite's binary form of an {@link EventBlock}, stored form 2: the column names, the column types behind a
 * {@link BlockCodec#FORM_2} byte, then every value in one byte array ({@link BlockCodec}). Form 1 (names, types,
 * size, then raw arrays) still reads. These were the block's own writeBinary and readBinary, moved here unchanged so
 * that the block need not know Ignite: stored blocks read back, and blocks are written byte for byte as before.
 */
final class EventBlockSerializer implements BinarySerializer {
    @Override
    public void writeBinary(Object obj, BinaryWriter writer) throws BinaryObjectException {
        EventBlock b = (EventBlock) obj;
        BinaryRawWriter w = writer.rawWriter();
        w.writeStringArray(b.storedNames());
        byte[] types = b.storedTypes();
        byte[] marked = new byte[types.length + 1];
        marked[0] = BlockCodec.FORM_2;
        System.arraycopy(types, 0, marked, 1, types.length);
        w.writeByteArray(marked);
        w.writeByteArray(BlockCodec.encode(b));
    }

    @Override
    public void readBinary(Object obj, BinaryReader reader) throws BinaryObjectException {
        ((EventBlock) obj).restore(read(reader.rawReader()));
    }

    private static EventBlock read(BinaryRawReader r) {
        String[] names = r.readStringArray();
        byte[] t = r.readByteArray();
        if (t.length == names.length + 1 && t[0] == BlockCodec.FORM_2) {
            byte[] types = Arrays.copyOfRange(t, 1, t.length);
            try {
                return BlockCodec.decode(names, types, r.readByteArray());
            } catch (IllegalArgumentException e) {
                throw new BinaryObjectException(e.getMessage(), e);
            }
        }
        // Form 1: the types as they are, then the size and every array raw.
        int size = r.readInt();
        long[] ts = r.readLongArray();
        long[] created = r.readLongArray();
        long[] idHashes = r.readLongArray();
        ColumnValues[] cols = new ColumnValues[names.length];
        for (int c = 0; c < names.length; c++) {
            cols[c] = switch (Storage.ofCode(t[c])) {
                case LONG -> {
                    long[] values = r.readLongArray();
                    yield ColumnValues.ofLongs(values, r.readLongArray());
                }
                case DOUBLE -> {
                    double[] values = r.readDoubleArray();
                    yield ColumnValues.ofDoubles(values, r.readLongArray());
                }
                case STRING -> {
                    String[] values = r.readStringArray();
                    yield ColumnValues.ofStrings(values, r.readLongArray());
                }
            };
        }
        return EventBlock.fromParts(names, t, size, ts, created, idHashes, cols);
    }
}
