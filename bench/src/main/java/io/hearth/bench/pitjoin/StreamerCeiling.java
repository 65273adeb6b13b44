package io.hearth.bench.pitjoin;

import io.hearth.node.CacheLayout;
import io.hearth.node.training.TrainingSets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;

/**
 * The SQL table's ceiling on this machine: the bare data streamer writing the rows of the table just built (its keys
 * and binary values, read back first and held on the heap) into a table of the same shape, with nothing joined and
 * nothing built. Timed like the table: twice, the second reported, each time replacing the table of the time before
 * (destroy, create, stream), as {@code run} with replace does. One streamer fed from one thread, with the buffer the
 * training jobs use.
 */
final class StreamerCeiling {
    private static final String NAME = "bench_ceiling";

    private StreamerCeiling() {
    }

    static Comparison.Timing measure(Ignite ignite, TrainingSets.Outcome table) throws Exception {
        IgniteCache<Long, BinaryObject> source = ignite.<Long, Object>cache(CacheLayout.trainingCache(table.name()))
            .withKeepBinary();
        List<Long> keys = new ArrayList<>();
        List<BinaryObject> values = new ArrayList<>();
        try (QueryCursor<Cache.Entry<Long, BinaryObject>> rows = source.query(new ScanQuery<Long, BinaryObject>())) {
            for (Cache.Entry<Long, BinaryObject> e : rows) {
                keys.add(e.getKey());
                values.add(e.getValue());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("table " + table.table() + " is empty");
        }
        String valueType = values.get(0).type().typeName();
        String cache = CacheLayout.trainingCache(NAME);
        Comparison.Timing t = Comparison.twice(() -> {
            if (ignite.cacheNames().contains(cache)) {
                ignite.destroyCache(cache);
            }
            ignite.createCache(CacheLayout.training(NAME, table.columns(), table.types(), valueType));
            try (IgniteDataStreamer<Long, BinaryObject> out = ignite.dataStreamer(cache)) {
                out.keepBinary(true);
                out.perNodeBufferSize(4096);
                for (int i = 0; i < keys.size(); i++) {
                    out.addData(keys.get(i), values.get(i));
                }
            }
        });
        long stored = ignite.cache(cache).sizeLong();
        ignite.destroyCache(cache);
        if (stored != keys.size()) {
            throw new IllegalStateException("the ceiling's table holds " + stored + " rows of " + keys.size());
        }
        return t;
    }
}
