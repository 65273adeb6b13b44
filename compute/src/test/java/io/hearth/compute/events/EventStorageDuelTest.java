package io.hearth.compute.events;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.FeatureEvaluator;
import io.hearth.compute.testing.NaiveOracle;
import io.hearth.compute.testing.NaiveOracle.Ev;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.ignite.IgniteCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Duel of the whole storage path: batches (with replayed and duplicate ids) merged by
 * {@link EventMergeReceiver#mergeAll} into small blocks of a map-backed cache, then read back the way lookups read
 * (index → blocks overlapping the needed range → concat → {@link FeatureEvaluator}) against {@link NaiveOracle}.
 */
class EventStorageDuelTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final String ENTITY = "user-1";
    private static final String OTHER = "user-2";

    static LongStream seeds() {
        return Seeds.seeds(LongStream.rangeClosed(101, 116).toArray());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void storedBlocksAndLookupsMatchNaiveOracle(long seed) {
        Random rnd = new Random(seed);
        String ctx = Seeds.replay(seed) + ":";
        int target = 4 + rnd.nextInt(6);
        int tail = 2 + rnd.nextInt(target - 1);
        Map<EventKey, Object> store = new HashMap<>();
        IgniteCache<EventKey, Object> cache = mapCache(store);

        int n = 1 + rnd.nextInt(250);
        // Events on consecutive milliseconds put block boundaries right next to window and ttl edges.
        long step = rnd.nextBoolean() ? 1 : 1_000;
        List<Ev> fresh = NaiveOracle.randomEvents(rnd, n, BASE, step);
        // Give most events an id; then deliver in batches, replaying some earlier events and repeating some ids.
        List<Ev> arrivals = new ArrayList<>();
        for (Ev e : fresh) {
            long id = rnd.nextInt(5) == 0 ? 0 : EventBlock.idHash("order-" + e.seq());
            Ev withId = new Ev(e.seq(), e.ts(), e.created(), id, e.values());
            arrivals.add(withId);
            if (rnd.nextInt(8) == 0) {
                arrivals.add(arrivals.get(rnd.nextInt(arrivals.size()))); // a replay: same id, same event
            }
        }
        int[] cuts = NaiveOracle.randomCuts(rnd, arrivals.size(), 8);
        List<Ev> kept = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        int calls = 0;
        for (int b = 0; b + 1 < cuts.length; calls++) {
            // One receiver call: one to three batches of this entity (in arrival order) and one event of another.
            List<EventBlock> batches = new ArrayList<>();
            for (int k = 1 + rnd.nextInt(3); k > 0 && b + 1 < cuts.length; k--, b++) {
                EventBlock.Builder builder = new EventBlock.Builder(NaiveOracle.COLUMNS, NaiveOracle.TYPES);
                for (int i = cuts[b]; i < cuts[b + 1]; i++) {
                    Ev e = arrivals.get(i);
                    builder.add(e.ts(), e.created(), e.idHash(), e.values().clone());
                    if (e.idHash() == 0 || ids.add(e.idHash())) {
                        kept.add(e.withSeq(kept.size()));
                    }
                }
                batches.add(builder.build());
            }
            EventBlock.Builder other = new EventBlock.Builder(List.of("l"), List.of(io.hearth.catalog.ColumnType.LONG));
            other.add(BASE, EventBlock.NO_CREATED, EventBlock.idHash("other-" + calls), new Object[] {(long) calls});
            SortedMap<String, List<EventBlock>> call = new TreeMap<>();
            call.put(ENTITY, batches);
            call.put(OTHER, List.of(other.build()));
            EventMergeReceiver.mergeAll(cache, call, target, tail);
            assertStorageInvariants(store, kept, ids, target, tail, ctx + " after call " + calls);
        }
        EntityIndex otherIdx = (EntityIndex) store.get(EventKey.index(OTHER));
        assertThat(otherIdx.eventCount()).as(ctx + " the other entity got exactly its own events").isEqualTo(calls);

        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        long[] windows = {step, 4 * step + step / 2, 25 * step};
        List<Feature> features = NaiveOracle.features(windows);
        long ttl = (1 + rnd.nextInt(10)) * step;
        long hop = (1 + rnd.nextInt(3)) * step;
        for (long[] cfg : new long[][] {{0, 0}, {ttl, 0}, {ttl, hop}}) {
            FeatureView view = new FeatureView("v", "user", "clicks", true, cfg[0], cfg[1], features, null, Map.of(), null);
            for (long t : NaiveOracle.probeTimes(rnd, kept, BASE, n * step, cfg[0], windows, cfg[1], 25)) {
                boolean anyAtOrBefore = idx != null && idx.earliest() <= t;
                assertThat(anyAtOrBefore).as(ctx + " anyAtOrBefore at " + t).isEqualTo(kept.stream().anyMatch(e -> e.ts() <= t));
                for (Feature f : features) {
                    long lo = FeatureEvaluator.earliestNeeded(view, List.of(f), t);
                    EventBlock events = read(store, idx, lo, t);
                    FeatureValue actual = FeatureEvaluator.evaluate(view, f, NaiveOracle.SOURCE, events, anyAtOrBefore, t);
                    long ttlNow = cfg[0];
                    long hopNow = cfg[1];
                    FeatureValue expected = NaiveOracle.evaluate(kept, f, t, ttlNow, hopNow);
                    NaiveOracle.assertSame(actual, expected, f,
                        () -> ctx + " ttl=" + ttlNow + " hop=" + hopNow + " t=base+" + (t - BASE) + " read [" + lo + ", " + t + "]");
                }
                // The lookup path with window summaries: only the blocks at the windows' ends are read, the blocks
                // between come from their summaries. Asked for every feature with a summary form at once, so
                // blocks read for one window's start also lie inside another's.
                List<Feature> summarizable = features.stream()
                    .filter(f -> FeatureEvaluator.summaryPoints(view, List.of(f), NaiveOracle.SOURCE, t).isPresent()).toList();
                long[] points = FeatureEvaluator.summaryPoints(view, summarizable, NaiveOracle.SOURCE, t).orElseThrow();
                assertThat(summarizable).as(ctx + " count, sum, avg, min and max of numbers have a summary form")
                    .hasSizeGreaterThanOrEqualTo(windows.length * 9);
                int[] positions = idx == null ? new int[0] : EventReads.blocksAt(idx, points);
                List<EventBlock> parts = new ArrayList<>();
                for (int pos : positions) {
                    parts.add(block(store, idx, pos));
                }
                EventBlock[] sparse = parts.toArray(EventBlock[]::new);
                for (Feature f : features) { // plain features too: they read the block holding t
                    if (f.isWindowed() && !summarizable.contains(f)) {
                        continue;
                    }
                    FeatureValue actual = FeatureEvaluator.evaluateWithSummaries(view, f, NaiveOracle.SOURCE, idx,
                        positions, sparse, anyAtOrBefore, t).orElse(null);
                    long ttlNow = cfg[0];
                    long hopNow = cfg[1];
                    assertThat(actual).as(ctx + " every block has a summary").isNotNull();
                    NaiveOracle.assertSame(actual, NaiveOracle.evaluate(kept, f, t, ttlNow, hopNow), f,
                        () -> ctx + " from summaries: ttl=" + ttlNow + " hop=" + hopNow + " t=base+" + (t - BASE)
                            + " blocks read " + Arrays.toString(positions) + " of " + idx.blockCount());
                }
            }
        }
    }

    /**
     * Compaction at a random cutoff, then every answer at a time the cutoff promises (t - horizon >= cutoff) equals
     * the oracle over all events, through both read paths, ttl 0 (plain values of any age) included.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void compactionNeverChangesAnAnswerInsideTheRetention(long seed) {
        Random rnd = new Random(seed);
        String ctx = Seeds.replay(seed) + ":";
        Map<EventKey, Object> store = new HashMap<>();
        IgniteCache<EventKey, Object> cache = mapCache(store);
        long step = rnd.nextBoolean() ? 1 : 1_000;
        int n = 40 + rnd.nextInt(200);
        List<Ev> events = NaiveOracle.randomEvents(rnd, n, BASE, step);
        int[] cuts = NaiveOracle.randomCuts(rnd, n, 8);
        List<Ev> kept = new ArrayList<>();
        for (int b = 0; b + 1 < cuts.length; b++) {
            EventBlock.Builder builder = new EventBlock.Builder(NaiveOracle.COLUMNS, NaiveOracle.TYPES);
            for (int i = cuts[b]; i < cuts[b + 1]; i++) {
                Ev e = events.get(i);
                builder.add(e.ts(), e.created(), 0, e.values().clone());
                kept.add(e.withSeq(kept.size()));
            }
            int target = 4 + rnd.nextInt(4);
            EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(builder.build()))), target,
                2 + rnd.nextInt(target - 1));
        }
        long[] windows = {step, 4 * step + step / 2, 25 * step};
        List<Feature> features = NaiveOracle.features(windows);
        long ttl = rnd.nextBoolean() ? 0 : (1 + rnd.nextInt(10)) * step;
        long hop = rnd.nextBoolean() ? 0 : (1 + rnd.nextInt(3)) * step;
        FeatureView view = new FeatureView("v", "user", "clicks", true, ttl, hop, features, null, Map.of(), null);
        long horizon = Math.max(ttl, 25 * step + hop);
        EntityIndex before = (EntityIndex) store.get(EventKey.index(ENTITY));
        int blocksBefore = before.blockCount();
        long cutoff = blocksBefore < 2 ? BASE + rnd.nextLong(n * step)
            : before.blockStart(1) + rnd.nextLong(before.blockStart(blocksBefore - 1) - before.blockStart(1) + step);
        EventCompaction.Dropped d = EventCompaction.compact(cache, List.of(ENTITY), cutoff);
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        assertThat(idx.blockCount()).as(ctx + " blocks left").isEqualTo(blocksBefore - (int) d.blocks()).isPositive();
        assertThat(idx.eventCount() + d.events()).as(ctx + " events left plus dropped").isEqualTo(n);
        assertThat(store.keySet().stream().filter(k -> k.entity().equals(ENTITY))).as(ctx + " no orphan blocks")
            .hasSize(idx.blockCount() + (idx.inline() != null ? 0 : 1));
        if (idx.blockCount() > 1) {
            assertThat(idx.blockStart(1)).as(ctx + " the block holding the cutoff stays").isGreaterThan(cutoff);
        }
        assertThat(d.blocks() > 0).as(ctx + " a cutoff past the second block's start drops a block").isEqualTo(blocksBefore > 1);
        List<Long> times = new ArrayList<>(NaiveOracle.probeTimes(rnd, kept, BASE, n * step, ttl, windows, hop, 40));
        times.add(cutoff + horizon);
        times.add(BASE + n * step + horizon);
        for (long t : times) {
            if (t - horizon < cutoff) {
                continue; // outside the retention: answers may change
            }
            long lo = FeatureEvaluator.earliestNeeded(view, features, t);
            EventBlock events1 = read(store, idx, lo, t);
            boolean any = idx.earliest() <= t;
            for (Feature f : features) {
                FeatureValue expected = NaiveOracle.evaluate(kept, f, t, ttl, hop);
                NaiveOracle.assertSame(FeatureEvaluator.evaluate(view, f, NaiveOracle.SOURCE, events1, any, t), expected, f,
                    () -> ctx + " after compaction at base+" + (cutoff - BASE) + ": ttl=" + ttl + " hop=" + hop + " t=base+" + (t - BASE));
                long[] points = FeatureEvaluator.summaryPoints(view, List.of(f), NaiveOracle.SOURCE, t).orElse(null);
                if (points != null) {
                    int[] positions = EventReads.blocksAt(idx, points);
                    List<EventBlock> parts = new ArrayList<>();
                    for (int pos : positions) {
                        parts.add(block(store, idx, pos));
                    }
                    FeatureValue v = FeatureEvaluator.evaluateWithSummaries(view, f, NaiveOracle.SOURCE, idx, positions,
                        parts.toArray(EventBlock[]::new), any, t).orElseThrow();
                    NaiveOracle.assertSame(v, expected, f, () -> ctx + " from summaries after compaction at base+"
                        + (cutoff - BASE) + ": ttl=" + ttl + " hop=" + hop + " t=base+" + (t - BASE));
                }
            }
        }
    }

    /**
     * A block written before its column changed type (here DOUBLE, now LONG) is converted on its own, by lookups
     * (which take the blocks between from summaries) and by scans alike: joining blocks first would widen the column
     * to DOUBLE and round the longs above 2^53 of the other blocks.
     */
    @Test
    void aBlockHoldingAColumnInAnOlderTypeIsConvertedOnItsOwnByEveryRead() {
        Map<EventKey, Object> store = new HashMap<>();
        IgniteCache<EventKey, Object> cache = mapCache(store);
        EventBlock.Builder longs = new EventBlock.Builder(List.of("x"), List.of(io.hearth.catalog.ColumnType.LONG));
        for (int i = 0; i < 12; i++) {
            longs.add(100 + i, EventBlock.NO_CREATED, 0, new Object[] {(1L << 53) + 1});
        }
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(longs.build()))), 8, 4); // 8 + 2, tail 2
        EventBlock.Builder doubles = new EventBlock.Builder(List.of("x"), List.of(io.hearth.catalog.ColumnType.DOUBLE));
        doubles.add(101, EventBlock.NO_CREATED, 0, new Object[] {1.5}); // late, into the first block
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(doubles.build()))), 8, 4);
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        assertThat(idx.blockCount()).isEqualTo(3);
        assertThat(idx.blockSize(0)).isEqualTo(9);
        assertThat(block(store, idx, 0).typeOf("x")).isEqualTo(io.hearth.catalog.ColumnType.DOUBLE);
        assertThat(block(store, idx, idx.blockCount() - 1).typeOf("x")).isEqualTo(io.hearth.catalog.ColumnType.LONG);

        Map<String, io.hearth.catalog.ColumnType> schema = Map.of("x", io.hearth.catalog.ColumnType.LONG);
        io.hearth.catalog.Source src = new io.hearth.catalog.Source("s", "user", "ts", null, null, schema, Map.of(), 0.05,
            null, null);
        Feature sum = new Feature("sum_x", "x", io.hearth.catalog.Aggregation.SUM, 1000, null);
        FeatureView view = new FeatureView("v", "user", "s", true, 0, 0, List.of(sum), null, Map.of(), null);
        long t = 111;
        // the first block's longs were stored as doubles when the late double joined them (2^53 + 1 rounds to 2^53)
        long expected = 8 * (1L << 53) + 1 + 4 * ((1L << 53) + 1);
        EventBlock scanned = EventReads.read(cache, "s", List.of(ENTITY), Long.MIN_VALUE + 1, t, schema, null).get(ENTITY)
            .events();
        assertThat(FeatureEvaluator.evaluate(view, sum, src, scanned, true, t).value()).isEqualTo(expected);
        long[] points = FeatureEvaluator.summaryPoints(view, List.of(sum), src, t).orElseThrow();
        int[] positions = EventReads.blocksAt(idx, points);
        List<EventBlock> parts = new ArrayList<>();
        for (int pos : positions) {
            parts.add(block(store, idx, pos));
        }
        assertThat(FeatureEvaluator.evaluateWithSummaries(view, sum, src, idx, positions, parts.toArray(EventBlock[]::new),
            true, t).orElseThrow().value()).as("from summaries").isEqualTo(expected);
        EventBlock joinedFirst = EventReads.read(cache, "s", List.of(ENTITY), Long.MIN_VALUE + 1, t).get(ENTITY).events();
        assertThat(FeatureEvaluator.evaluate(view, sum, src, joinedFirst, true, t).value())
            .as("what joining before converting gave").isEqualTo(12 * (1L << 53) + 1);
    }

    @Test
    void receiverRejectsTinyTargetBlockSizeAndTailsOutsideTwoToTarget() {
        assertThatThrownBy(() -> new EventMergeReceiver(3, 2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 4").hasMessageContaining("3");
        assertThatThrownBy(() -> new EventMergeReceiver(8, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("tailSize must be 2 to targetBlockSize (8), got 1");
        assertThatThrownBy(() -> new EventMergeReceiver(8, 9)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("got 9");
        new EventMergeReceiver(4, 2); // the smallest allowed
        new EventMergeReceiver(4, 4);
    }

    /**
     * What makes ingest fast: events arriving in time order, one per write, are each rewritten a bounded number of
     * times (the tail while it is small, then about log2(target / tail) sealings), not once per later event; and the
     * entity's blocks stay few.
     */
    @Test
    void eventsInTimeOrderAreRewrittenAFewTimesNotOncePerLaterEvent() {
        int target = 64;
        int tail = 8;
        int n = 3000;
        long[] written = new long[1];
        Map<EventKey, Object> store = new HashMap<>() {
            @Override
            public void putAll(Map<? extends EventKey, ?> m) {
                for (Object v : m.values()) {
                    written[0] += v instanceof EventBlock b ? b.size()
                        : ((EntityIndex) v).inline() == null ? 0 : ((EntityIndex) v).inline().size();
                }
                super.putAll(m);
            }
        };
        IgniteCache<EventKey, Object> cache = mapCache(store);
        for (int i = 0; i < n; i++) {
            EventBlock.Builder b = new EventBlock.Builder(List.of("x"), List.of(io.hearth.catalog.ColumnType.LONG));
            b.add(BASE + i, EventBlock.NO_CREATED, EventBlock.idHash("e" + i), new Object[] {(long) i});
            EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(b.build()))), target, tail);
        }
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        assertThat(idx.eventCount()).isEqualTo(n);
        assertThat(idx.inline()).as("the newest events are inline").isNotNull();
        assertThat(idx.inline().size()).isLessThanOrEqualTo(tail);
        // The tail is rewritten with every write (at most 8 events, 4.5 on average after the first sealing); each
        // sealing writes an event again about log2(64 / 4) = 4 times.
        double perEvent = (double) written[0] / n;
        assertThat(perEvent).as("events written per event ingested").isLessThan(tail + Math.log(target / (tail / 2.0))
            / Math.log(2) + 1);
        assertThat(idx.blockCount()).as("sealed blocks fill up to the target; few small ones trail")
            .isLessThanOrEqualTo(n / (target / 2) + 1 + 5);
        for (int i = 0; i + 1 < idx.blockCount(); i++) {
            assertThat(idx.blockSize(i)).as("block " + i).isLessThanOrEqualTo(target);
        }
    }

    @Test
    void replayedBatchChangesNothing() {
        Map<EventKey, Object> store = new HashMap<>();
        IgniteCache<EventKey, Object> cache = mapCache(store);
        EventBlock.Builder b = new EventBlock.Builder(List.of("x"), List.of(io.hearth.catalog.ColumnType.LONG));
        for (int i = 0; i < 10; i++) {
            b.add(1000 + i, EventBlock.NO_CREATED, EventBlock.idHash("id" + i), new Object[] {(long) i});
        }
        EventBlock batch = b.build();
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(batch))), 4, 4);
        Map<EventKey, Object> before = new HashMap<>(store);
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(ENTITY, List.of(batch, batch))), 4, 4);
        assertThat(store).isEqualTo(before); // same objects: nothing was rewritten
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        assertThat(idx.eventCount()).isEqualTo(10);
        assertThat(idx.blockCount()).isEqualTo(3); // 10 events, target 4, tail 4: 8 sealed as 4 + 4, 2 inline
    }

    /** Reads what a lookup reads: the blocks that may hold events in [lo, hi], concatenated; null when none. */
    static EventBlock read(Map<EventKey, Object> store, EntityIndex idx, long lo, long hi) {
        if (idx == null) {
            return null;
        }
        List<EventBlock> parts = new ArrayList<>();
        for (int pos : idx.blocksOverlapping(lo, hi)) {
            parts.add(block(store, idx, pos));
        }
        return parts.isEmpty() ? null : EventBlock.concat(parts);
    }

    private static void assertStorageInvariants(Map<EventKey, Object> store, List<Ev> kept, Set<Long> ids, int target,
                                                int tail, String ctx) {
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(ENTITY));
        if (kept.isEmpty()) {
            assertThat(idx == null || idx.blockCount() == 0).as(ctx + " empty index").isTrue();
            return;
        }
        assertThat(idx.eventCount()).as(ctx + " event count").isEqualTo(kept.size());
        if (idx.inline() == null) {
            EventBlock last = block(store, idx, idx.blockCount() - 1);
            assertThat(maxRunOfEqualTimes(last)).as(ctx + " no inline tail: the last block is one run of equal times over "
                + target).isEqualTo(last.size()).isGreaterThan(target);
        } else {
            assertThat(idx.blockId(idx.blockCount() - 1)).as(ctx + " the inline tail is the last block")
                .isEqualTo(EventKey.INLINE);
        }
        if (idx.inline() != null && idx.inline().size() > tail) {
            assertThat(maxRunOfEqualTimes(idx.inline())).as(ctx + " a tail over " + tail + " events has nowhere to be cut")
                .isEqualTo(idx.inline().size());
        }
        assertThat(store.keySet().stream().filter(k -> k.entity().equals(ENTITY))).as(ctx + " no orphan blocks")
            .hasSize(idx.blockCount() + (idx.inline() != null ? 0 : 1));
        for (long id : ids) {
            assertThat(idx.containsId(id)).as(ctx + " id stored").isTrue();
        }
        List<EventBlock> blocks = new ArrayList<>();
        for (int i = 0; i < idx.blockCount(); i++) {
            EventBlock b = block(store, idx, i);
            assertThat(b).as(ctx + " block " + i).isNotNull();
            assertThat(b.size()).as(ctx + " block size " + i).isEqualTo(idx.blockSize(i)).isPositive();
            assertThat(b.ts(0)).as(ctx + " block start " + i).isEqualTo(idx.blockStart(i));
            assertThat(b.hasIds()).as(ctx + " stored blocks keep no ids").isFalse();
            if (idx.blockId(i) == EventKey.INLINE) {
                assertThat(idx.stats(i)).as(ctx + " an inline block has no summary").isNull();
            } else {
                assertSameStats(idx.stats(i), BlockStats.of(b), ctx + " summary of block " + i);
            }
            if (i + 1 < idx.blockCount()) {
                assertThat(b.ts(b.size() - 1)).as(ctx + " block " + i + " ends before the next starts")
                    .isLessThan(idx.blockStart(i + 1));
            }
            assertThat(b.size()).as(ctx + " block " + i + " was split when it grew past the target")
                .isLessThanOrEqualTo(target + target / 4 + maxRunOfEqualTimes(b));
            blocks.add(b);
        }
        EventBlock all = EventBlock.concat(blocks);
        List<Ev> sorted = new ArrayList<>(kept);
        sorted.sort(NaiveOracle.ORDER);
        for (int i = 0; i < sorted.size(); i++) {
            Ev e = sorted.get(i);
            assertThat(new Object[] {all.ts(i), all.created(i), new ArrayList<>(all.row(i).values())})
                .as(ctx + " event " + i + " is " + e)
                .isEqualTo(new Object[] {e.ts(), e.created(), Arrays.asList(e.values())});
        }
    }

    private static void assertSameStats(BlockStats actual, BlockStats expected, String ctx) {
        assertThat(actual).as(ctx).isNotNull();
        assertThat(actual.names).as(ctx).containsExactly(expected.names);
        assertThat(actual.types).as(ctx).containsExactly(expected.types);
        assertThat(actual.counts).as(ctx).containsExactly(expected.counts);
        assertThat(actual.mins).as(ctx).containsExactly(expected.mins);
        assertThat(actual.maxs).as(ctx).containsExactly(expected.maxs);
        assertThat(actual.longSums).as(ctx).containsExactly(expected.longSums);
        assertThat(actual.doubleSums).as(ctx).isDeepEqualTo(expected.doubleSums);
    }

    /** Block {@code pos} of the entity: the index's inline block, or a cache entry. */
    static EventBlock block(Map<EventKey, Object> store, EntityIndex idx, int pos) {
        return idx.blockId(pos) == EventKey.INLINE ? idx.inline() : (EventBlock) store.get(new EventKey(ENTITY, idx.blockId(pos)));
    }

    private static int maxRunOfEqualTimes(EventBlock b) {
        int best = 1;
        int run = 1;
        for (int i = 1; i < b.size(); i++) {
            run = b.ts(i) == b.ts(i - 1) ? run + 1 : 1;
            best = Math.max(best, run);
        }
        return best;
    }

    /** An {@link IgniteCache} over a map, with just the calls the merge makes. */
    @SuppressWarnings("unchecked")
    static IgniteCache<EventKey, Object> mapCache(Map<EventKey, Object> store) {
        return (IgniteCache<EventKey, Object>) Proxy.newProxyInstance(IgniteCache.class.getClassLoader(),
            new Class<?>[] {IgniteCache.class}, (proxy, m, args) -> switch (m.getName()) {
                case "get" -> store.get(args[0]);
                case "getAll" -> {
                    Map<Object, Object> out = new HashMap<>();
                    for (Object k : (Set<?>) args[0]) {
                        if (store.containsKey(k)) {
                            out.put(k, store.get(k));
                        }
                    }
                    yield out;
                }
                case "putAll" -> {
                    store.putAll((Map<EventKey, Object>) args[0]);
                    yield null;
                }
                case "removeAll" -> {
                    store.keySet().removeAll((Set<?>) args[0]);
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "map-backed cache";
                case "getName" -> "events-test";
                default -> throw new UnsupportedOperationException(m.getName());
            });
    }
}
