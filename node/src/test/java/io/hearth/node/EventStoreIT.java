package io.hearth.node;

import io.hearth.testing.Seeds;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.RegistryStore;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.BlockStats;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many entities written in many interleaved batches through the real streamer and receiver read back whole. */
class EventStoreIT {
    @TempDir
    Path dir;

    @Test
    void everyEventOfEveryEntityIsReadBackInTimeOrder() throws Exception {
        Definitions defs = DefinitionsParser.parse("definitions.yaml",
            Files.readString(Path.of("../config/demo/definitions.yaml")));
        RowValidator v = new RowValidator(defs.source("orders").orElseThrow(), defs.entity("customer").orElseThrow());
        long seed = Seeds.seed("EventStoreIT");
        Random rnd = new Random(seed);
        int entities = 400;
        Map<String, Integer> expected = new HashMap<>();
        Map<Integer, String> owner = new HashMap<>();
        try (HearthNode node = new HearthNode(TestNodes.single(dir)).start()) {
            new RegistryStore(node.ignite(), Clock.systemUTC()).apply(defs);
            EventStore store = new EventStore(node.ignite());
            // A reader racing the writers: every snapshot it gets is whole (no missing block, no exception), and an
            // entity's event count never goes down.
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            AtomicInteger snapshots = new AtomicInteger();
            List<String> all = new ArrayList<>();
            for (int e = 0; e < entities; e++) {
                all.add("E" + e);
            }
            Thread reader = new Thread(() -> {
                Map<String, Integer> seen = new HashMap<>();
                try {
                    while (writing.get() && snapshots.get() < 10_000) {
                        Map<String, EventReads.EntityEvents> r = store.read("orders", all, Long.MIN_VALUE + 1, Long.MAX_VALUE);
                        for (Map.Entry<String, EventReads.EntityEvents> x : r.entrySet()) {
                            int n = x.getValue().events() == null ? 0 : x.getValue().events().size();
                            int before = seen.getOrDefault(x.getKey(), 0);
                            if (n < before) {
                                throw new AssertionError(x.getKey() + " went from " + before + " to " + n + " events");
                            }
                            seen.put(x.getKey(), n);
                        }
                        snapshots.incrementAndGet();
                    }
                } catch (Throwable t) {
                    readerFailure.set(t);
                }
            }, "racing-reader");
            reader.start();
            int id = 0;
            for (int batch = 0; batch < 12; batch++) {
                Map<String, EventBlock.Builder> builders = new HashMap<>();
                for (int i = 0; i < 3000; i++) {
                    boolean replay = id > 10 && rnd.nextInt(20) == 0;
                    int n = replay ? rnd.nextInt(id) : id++;
                    String orderId = "o" + n;
                    String e = replay ? owner.get(n) : "E" + rnd.nextInt(entities);
                    owner.put(n, e); // a replay repeats an earlier event of the same entity
                    Map<String, Object> row = new HashMap<>();
                    row.put("customer_id", e);
                    row.put("order_id", orderId);
                    row.put("amount", rnd.nextInt(100));
                    row.put("event_ts", (long) rnd.nextInt(1_000_000));
                    RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                    builders.computeIfAbsent(e, k -> v.newBlock()).add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
                    if (!replay) {
                        expected.merge(e, 1, Integer::sum);
                    }
                }
                Map<String, EventBlock> blocks = new HashMap<>();
                builders.forEach((k, b) -> blocks.put(k, b.build()));
                store.write("orders", blocks);
            }
            List<String> keys = new ArrayList<>(expected.keySet());
            assertAllRead(store, keys, expected, seed, "with the log partly folded");
            io.hearth.node.fold.LogFolder.foldEverywhere(node.ignite()); // while the reader still races
            writing.set(false);
            reader.join(60_000);
            assertThat(readerFailure.get()).as("reader racing the writers and the fold").isNull();
            assertThat(snapshots.get()).isPositive();
            assertAllRead(store, keys, expected, seed, "folded");
            assertThat(io.hearth.node.fold.LogFolder.backlogEverywhere(node.ignite(), "orders"))
                .allSatisfy(b -> assertThat(b[1] + b[3]).as("unfolded events after a fold of everything").isZero());

            // A large entity's block summaries survive Ignite's marshaller and equal summaries of the stored blocks.
            EventBlock.Builder big = v.newBlock();
            for (int i = 0; i < 5000; i++) {
                Map<String, Object> row = new HashMap<>();
                row.put("customer_id", "BIG");
                row.put("order_id", "big" + i);
                row.put("amount", rnd.nextInt(100_000) / 100.0);
                row.put("event_ts", (long) rnd.nextInt(1_000_000));
                RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                big.add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
            }
            store.write("orders", Map.of("BIG", big.build()));
            io.hearth.node.fold.LogFolder.foldEverywhere(node.ignite());
            var cache = node.ignite().<EventKey, Object>cache(CacheLayout.eventsCache("orders"));
            EntityIndex idx = (EntityIndex) cache.get(EventKey.index("BIG"));
            assertThat(idx.blockCount()).isGreaterThan(2);
            int last = idx.blockCount() - 1;
            assertThat(idx.blockId(last)).as("the newest events stay inline").isEqualTo(EventKey.INLINE);
            assertThat(idx.stats(last)).as("the inline tail has no summary").isNull();
            for (int i = 0; i < last; i++) {
                BlockStats stored = idx.stats(i);
                BlockStats fresh = BlockStats.of((EventBlock) cache.get(new EventKey("BIG", idx.blockId(i))));
                int c = stored.find("amount", ColumnType.DOUBLE);
                assertThat(c).as("block %d has stats of amount", i).isNotNegative();
                int f = fresh.find("amount", ColumnType.DOUBLE);
                assertThat(new Object[] {stored.count(c), stored.min(c), stored.max(c), stored.longSum(c)})
                    .isEqualTo(new Object[] {fresh.count(f), fresh.min(f), fresh.max(f), fresh.longSum(f)});
                assertThat(stored.doubleSum(c)).containsExactly(fresh.doubleSum(f));
                assertThat(stored.find("order_id", ColumnType.STRING)).as("strings have no stats").isEqualTo(-2);
                assertThat(stored.find("nope", ColumnType.DOUBLE)).isEqualTo(-1);
            }
        }
    }

    private static void assertAllRead(EventStore store, List<String> keys, Map<String, Integer> expected, long seed,
                                      String when) {
        Map<String, EventReads.EntityEvents> read = store.read("orders", keys, Long.MIN_VALUE + 1, Long.MAX_VALUE);
        for (String k : keys) {
            EventBlock b = read.get(k).events();
            assertThat(b.size()).as("entity %s, seed %d, %s", k, seed, when).isEqualTo(expected.get(k));
            for (int i = 1; i < b.size(); i++) {
                assertThat(b.ts(i)).isGreaterThanOrEqualTo(b.ts(i - 1));
            }
        }
    }
}
