package io.hearth.node.codec;

import io.hearth.compute.events.BlockStats;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinarySerializer;
import org.apache.ignite.binary.BinaryWriter;

/**
 * Ignite's binary form of an {@link EntityIndex}. Format 4 writes block starts, ids and sizes, a marker where
 * formats 1 and 2 wrote the block counter, the epoch, the counter, the id hashes, the inline block, per block
 * its stats ({@link BlockStatsForm}), and the log sequence number folded through. Format 3 (the same without the last)
 * and formats 1 and 2 still read. This was the index's own writeBinary and
 * readBinary, moved here unchanged so that the index need not know Ignite.
 */
final class EntityIndexSerializer implements BinarySerializer {
    /** Marks format 3 (block stats) where formats 1 and 2 wrote the block counter. */
    private static final long FORMAT_3 = Long.MIN_VALUE;
    /** Marks format 4: format 3 and the log sequence number folded through. */
    private static final long FORMAT_4 = Long.MIN_VALUE + 1;

    @Override
    public void writeBinary(Object obj, BinaryWriter writer) throws BinaryObjectException {
        EntityIndex.Parts p = ((EntityIndex) obj).parts();
        BinaryRawWriter w = writer.rawWriter();
        w.writeLongArray(p.starts());
        w.writeLongArray(p.ids());
        w.writeIntArray(p.sizes());
        w.writeLong(FORMAT_4);
        w.writeLong(p.epoch());
        w.writeLong(p.nextBlockId());
        w.writeLongArray(p.idHashes());
        w.writeObject(p.inline());
        List<String> dict = new ArrayList<>(); // column names, written once rather than once per block
        for (BlockStats st : p.stats()) {
            for (int c = 0; st != null && c < st.columnCount(); c++) {
                if (!dict.contains(st.name(c))) {
                    dict.add(st.name(c));
                }
            }
        }
        w.writeStringArray(dict.toArray(String[]::new));
        for (BlockStats st : p.stats()) {
            w.writeBoolean(st != null);
            if (st != null) {
                BlockStatsForm.write(w, st, dict);
            }
        }
        w.writeLong(p.foldedThrough());
    }

    @Override
    public void readBinary(Object obj, BinaryReader reader) throws BinaryObjectException {
        ((EntityIndex) obj).restore(read(reader.rawReader()));
    }

    private static EntityIndex.Parts read(BinaryRawReader r) {
        long[] starts = r.readLongArray();
        long[] ids = r.readLongArray();
        int[] sizes = r.readIntArray();
        BlockStats[] stats = new BlockStats[ids.length];
        long counter = r.readLong();
        if (counter == FORMAT_3 || counter == FORMAT_4) {
            long epoch = r.readLong();
            long nextBlockId = r.readLong();
            long[] idHashes = r.readLongArray();
            EventBlock inline = (EventBlock) r.readObject();
            String[] dict = r.readStringArray();
            for (int i = 0; i < ids.length; i++) {
                stats[i] = r.readBoolean() ? BlockStatsForm.read(r, dict) : null;
            }
            long foldedThrough = counter == FORMAT_4 ? r.readLong() : 0;
            return new EntityIndex.Parts(starts, ids, sizes, nextBlockId, idHashes, inline, stats, epoch, foldedThrough);
        }
        // Format 2 marked an inline block after the id hashes by a negative block counter; format 1 (before inline
        // blocks) wrote the counter as is. Neither had block stats (windows read those blocks' events) nor an epoch
        // (0: readers do not cache their blocks).
        long nextBlockId = counter < 0 ? -counter - 1 : counter;
        long[] idHashes = r.readLongArray();
        EventBlock inline = counter < 0 ? (EventBlock) r.readObject() : null;
        return new EntityIndex.Parts(starts, ids, sizes, nextBlockId, idHashes, inline, stats, 0, 0);
    }
}
