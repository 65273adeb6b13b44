package io.hearth.bench.pitjoin;

import io.hearth.bench.BenchSupport;
import io.hearth.compute.events.EventKey;
import io.hearth.node.CacheLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.internal.binary.BinaryObjectImpl;

/**
 * Bytes per stored event in Hearth's events cache, three ways: the marshalled keys and values (payload), the data
 * region's used pages, and the partition files after a forced checkpoint.
 */
final class StorageProbe {
    private StorageProbe() {
    }

    /** Bytes measured; a figure the node could not give is 0. */
    record Storage(long payload, long blocks, long indexes, long regionUsed, long regionAllocated, long disk) {
        /** The figure the report uses: the partition files, else the region's pages, else the payload. */
        double bytesPerEvent(long events) {
            return (disk > 0 ? disk : regionUsed > 0 ? regionUsed : payload) / (double) events;
        }

        void print(long events) {
            Report.line("bytes/event: payload %.1f B (keys+values as marshalled: %,d blocks, %,d indexes, %,d B), "
                    + "region pages %s, partition files %s",
                payload / (double) events, blocks, indexes, payload,
                regionUsed > 0 ? String.format(Locale.ROOT, "%.1f B (%,d B used of %,d B allocated)",
                    regionUsed / (double) events, regionUsed, regionAllocated) : "n/a (metric reads 0)",
                disk > 0 ? String.format(Locale.ROOT, "%.1f B (%,d B after a checkpoint)", disk / (double) events, disk)
                    : "n/a");
        }
    }

    /** Scans the events cache of source ev; {@code dir} holds the node's work directory. */
    static Storage measure(Ignite ignite, Path dir) throws IOException {
        IgniteCache<Object, Object> cache = ignite.cache(CacheLayout.eventsCache("ev")).withKeepBinary();
        long payload = 0;
        long blocks = 0;
        long indexes = 0;
        try (QueryCursor<Cache.Entry<Object, Object>> cur = cache.query(new ScanQuery<>())) {
            for (Cache.Entry<Object, Object> e : cur) {
                payload += binaryLength(ignite, e.getKey()) + binaryLength(ignite, e.getValue());
                BinaryObject k = (BinaryObject) e.getKey();
                if ((long) k.field("block") == EventKey.INDEX) {
                    indexes++;
                } else {
                    blocks++;
                }
            }
        }
        // Page-level: force a checkpoint so the partition files hold every page, then measure them.
        long disk = 0;
        try {
            BenchSupport.checkpoint(ignite, "bench bytes/event");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.filter(p -> p.getParent() != null
                    && p.getParent().getFileName().toString().equals("cache-" + CacheLayout.eventsCache("ev"))
                    && p.getFileName().toString().startsWith("part-")).toList()) {
                    disk += Files.size(p);
                }
            }
        } catch (Exception e) {
            Report.line("(checkpoint / partition files not measurable: %s)", e);
        }
        long used = 0;
        long allocated = 0;
        var m = ignite.dataRegionMetrics("hearth");
        if (m != null) {
            used = m.getTotalUsedPages() * m.getPageSize();
            allocated = m.getTotalAllocatedPages() * m.getPageSize();
        }
        return new Storage(payload, blocks, indexes, used, allocated, disk);
    }

    private static long binaryLength(Ignite ignite, Object o) {
        if (o instanceof BinaryObjectImpl bo) {
            return bo.length();
        }
        Object b = ignite.binary().toBinary(o);
        if (b instanceof BinaryObjectImpl bo) {
            return bo.length();
        }
        throw new IllegalStateException("cannot size " + o.getClass());
    }
}
