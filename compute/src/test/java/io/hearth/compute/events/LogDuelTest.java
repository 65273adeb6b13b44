package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.compute.testing.NaiveOracle;
import io.hearth.compute.testing.NaiveOracle.Ev;
import io.hearth.testing.Seeds;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.ignite.IgniteCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Duel of the log write path against a naive oracle: random batches (late and out-of-order events, ties, event ids
 * repeated, batches carrying Kafka-like places and replays of them, whole, in part and past their end), merges and
 * folds of random partitions at random moments, crashes cut into writes and maintenance at any step, and after
 * every step every entity read back exactly: the same events in the same order as the oracle's list (kept events in
 * ingest order, replays and repeated ids dropped, sorted by event time, created time and ingest order).
 */
class LogDuelTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final String STREAM = "kafka:t/0";

    static LongStream seeds() {
        return Seeds.seeds(LongStream.rangeClosed(201, 260).toArray());
    }

    /** The state of one duel: stores, caches with a fault hook, the oracle. */
    private static final class World {
        final Random rnd;
        final String ctx;
        final Map<EventKey, Object> eventStore = new HashMap<>();
        final Map<LogKey, Object> logStore = new TreeMap<>();
        final int[] countdown = {-1};
        final IgniteCache<EventKey, Object> events;
        final IgniteCache<LogKey, Object> log;
        final LogPartitions lp;
        final SourceCaches caches;
        final LogMaintenance.Settings settings;
        final List<String> entities = new ArrayList<>();
        final Map<String, List<Ev>> kept = new HashMap<>();
        final Map<String, Set<Long>> ids = new HashMap<>();
        final Set<Long> appliedPositions = new HashSet<>();
        final Map<Long, Object[]> byPosition = new HashMap<>(); // position -> {entity, Ev}
        final List<List<LogKey>> retiredLater = new ArrayList<>();
        long nextPosition;
        long floor;
        long now = 1_000_000;
        int seq;
        int crashes;
        int folds;

        World(long seed) {
            rnd = new Random(seed);
            ctx = Seeds.replay(seed) + ":";
            Runnable fault = () -> {
                if (countdown[0] > 0) {
                    countdown[0]--;
                } else if (countdown[0] == 0) {
                    countdown[0] = -1;
                    crashes++;
                    throw new MapCaches.SimulatedCrash();
                }
            };
            events = MapCaches.of("events", eventStore, fault);
            log = MapCaches.of("log", logStore, fault);
            int parts = 1 + rnd.nextInt(4);
            int[] anchors = new int[parts];
            for (int p = 0; p < parts; p++) {
                anchors[p] = 100 + 7 * p;
            }
            lp = new LogPartitions(e -> Math.floorMod(e.hashCode(), parts), anchors);
            caches = new SourceCaches(events, log, lp);
            int target = 4 + rnd.nextInt(6);
            int soft = 4 + rnd.nextInt(3);
            settings = new LogMaintenance.Settings(2 + rnd.nextInt(5), rnd.nextInt(3000), soft, soft + 1 + rnd.nextInt(4),
                1 + rnd.nextInt(6), 5 + rnd.nextInt(60), 1000 + rnd.nextInt(20_000), 1 + rnd.nextInt(4), target,
                2 + rnd.nextInt(target - 1));
            int n = 1 + rnd.nextInt(7);
            for (int i = 0; i < n; i++) {
                entities.add("E" + i);
                kept.put("E" + i, new ArrayList<>());
                ids.put("E" + i, new HashSet<>());
            }
        }

        Ev randomEvent() {
            Ev e = NaiveOracle.randomEvents(rnd, 1, BASE + rnd.nextInt(40) * (rnd.nextBoolean() ? 1 : 1000), 1).get(0);
            long id = rnd.nextInt(3) == 0 ? EventBlock.idHash("id-" + rnd.nextInt(30)) : 0;
            return new Ev(0, e.ts(), e.created(), id, e.values());
        }

        /** Applies one event to the oracle as the store must: a known place or a repeated id drops it. */
        void apply(String entity, Ev e, Long position) {
            if (position != null && !appliedPositions.add(position)) {
                return;
            }
            if (e.idHash() != 0 && !ids.get(entity).add(e.idHash())) {
                return;
            }
            kept.get(entity).add(e.withSeq(seq++));
        }

        /** Writes events (entity, event, position or null) as one batch, as the event store does. */
        void write(List<Object[]> batch, boolean placed, long spanFrom, long spanTo) {
            Map<String, EventBlock.Builder> blocks = new TreeMap<>();
            Places.Builder places = placed ? new Places.Builder().stream(STREAM, spanFrom, spanTo, floor) : null;
            for (Object[] x : batch) {
                Ev e = (Ev) x[1];
                blocks.computeIfAbsent((String) x[0], k -> new EventBlock.Builder(NaiveOracle.COLUMNS, NaiveOracle.TYPES))
                    .add(e.ts(), e.created(), e.idHash(), e.values().clone());
                if (placed) {
                    places.add((String) x[0], STREAM, (Long) x[2]);
                }
            }
            Places built = placed ? places.build() : null;
            Map<Integer, Map<String, EventBlock>> byPart = new TreeMap<>();
            blocks.forEach((entity, b) -> byPart.computeIfAbsent(lp.partitionOf(entity), k -> new TreeMap<>())
                .put(entity, b.build()));
            List<Map.Entry<LogKey, RunChunk>> entries = new ArrayList<>();
            byPart.forEach((p, m) -> entries.add(new AbstractMap.SimpleEntry<>(
                new LogKey(lp.anchor(p), LogReceiver.newRunId(), 0),
                RunChunk.of(m, built == null ? null : built.forEntities(List.copyOf(m.keySet()))))));
            LogReceiver.append(log, entries, now);
        }

        void maintain(int partition, boolean force) {
            LogMaintenance.Round r = LogMaintenance.maintain(log, events, Runnable::run, lp.anchor(partition), settings, now,
                force);
            folds += r.foldedEvents() > 0 ? 1 : 0;
            if (rnd.nextBoolean()) {
                r.retired().forEach(logStore::remove); // readers here never hold an older manifest
            } else {
                retiredLater.add(r.retired());
            }
        }

        void verify(String when) {
            Map<String, EventReads.EntityEvents> read = EventReads.read(caches, "s", entities, Long.MIN_VALUE + 1,
                Long.MAX_VALUE, null, null);
            for (String entity : entities) {
                List<Ev> expected = new ArrayList<>(kept.get(entity));
                expected.sort(NaiveOracle.ORDER);
                EventReads.EntityEvents ev = read.get(entity);
                EventBlock got = ev == null ? null : ev.events();
                int n = got == null ? 0 : got.size();
                assertThat(n).as(ctx + " " + when + ": events of " + entity).isEqualTo(expected.size());
                for (int i = 0; i < n; i++) {
                    Ev x = expected.get(i);
                    Map<String, Object> row = got.row(i);
                    String where = ctx + " " + when + ": " + entity + " event " + i + " expected " + x;
                    assertThat(got.ts(i)).as(where).isEqualTo(x.ts());
                    assertThat(got.created(i)).as(where).isEqualTo(x.created());
                    for (int c = 0; c < NaiveOracle.COLUMNS.size(); c++) {
                        assertThat(Objects.equals(row.get(NaiveOracle.COLUMNS.get(c)), x.values()[c]))
                            .as(where + " column " + NaiveOracle.COLUMNS.get(c) + " got " + row).isTrue();
                    }
                }
                if (!expected.isEmpty()) {
                    assertThat(ev.anyAtOrBefore(expected.get(0).ts())).as(ctx + " " + when + " earliest").isTrue();
                    assertThat(ev.anyAtOrBefore(expected.get(0).ts() - 1)).as(ctx + " " + when + " earliest").isFalse();
                }
            }
            lookups(when);
        }

        /**
         * Features at a few times, read as a lookup reads them (blocks at the windows' ends with their summaries, or
         * the range where the log may hold events), against the oracle.
         */
        void lookups(String when) {
            long[] windows = {1, 5, 25_000};
            List<io.hearth.catalog.Feature> all = NaiveOracle.features(windows);
            io.hearth.catalog.FeatureView view = new io.hearth.catalog.FeatureView("v", "user", "clicks", true, 0, 0,
                all, null, Map.of(), null);
            for (int k = 0; k < 2; k++) {
                long t = BASE + rnd.nextInt(45_000) - 2_000;
                // The features a lookup serves from summaries, and plain ones (they read the block holding t).
                List<io.hearth.catalog.Feature> features = all.stream().filter(f -> !f.isWindowed()
                    || io.hearth.compute.semantics.FeatureEvaluator.summaryPoints(view, List.of(f), NaiveOracle.SOURCE, t)
                    .isPresent()).toList();
                long[] points = io.hearth.compute.semantics.FeatureEvaluator.summaryPoints(view, features,
                    NaiveOracle.SOURCE, t).orElseThrow();
                long lo = io.hearth.compute.semantics.FeatureEvaluator.earliestNeeded(view, features, t);
                Map<String, EventReads.EntityEvents> read = EventReads.readBlocksAt(caches, "s",
                    NaiveOracle.SOURCE.schema(), entities, points, lo, t, null);
                for (String entity : entities) {
                    EventReads.EntityEvents ev = read.get(entity);
                    for (io.hearth.catalog.Feature f : features) {
                        io.hearth.compute.semantics.FeatureValue actual;
                        if (ev == null) {
                            actual = io.hearth.compute.semantics.FeatureEvaluator.evaluate(view, f, NaiveOracle.SOURCE, null,
                                false, t);
                        } else if (ev.positions() == null) {
                            actual = io.hearth.compute.semantics.FeatureEvaluator.evaluate(view, f, NaiveOracle.SOURCE,
                                ev.events(), ev.anyAtOrBefore(t), t);
                        } else {
                            actual = io.hearth.compute.semantics.FeatureEvaluator.evaluateWithSummaries(view, f,
                                NaiveOracle.SOURCE, ev.index(), ev.positions(), ev.blocks(), ev.anyAtOrBefore(t), t)
                                .orElse(null);
                            if (actual == null) {
                                continue; // a block without a usable summary: the lookup reads the range (checked above)
                            }
                        }
                        NaiveOracle.assertSame(actual, NaiveOracle.evaluate(kept.get(entity), f, t, 0, 0), f,
                            () -> ctx + " " + when + ": lookup of " + entity + " at base+" + (t - BASE));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void readsAfterEveryStepMatchTheOracle(long seed) {
        World w = new World(seed);
        int steps = 30 + w.rnd.nextInt(100);
        for (int step = 0; step < steps; step++) {
            int action = w.rnd.nextInt(100);
            w.now += w.rnd.nextInt(1500);
            String what;
            if (action < 40) {
                what = newBatch(w);
            } else if (action < 55) {
                what = replay(w);
            } else {
                int p = w.rnd.nextInt(w.lp.partitions());
                boolean force = w.rnd.nextInt(5) == 0;
                if (w.rnd.nextInt(4) == 0) {
                    w.countdown[0] = w.rnd.nextInt(8);
                }
                try {
                    w.maintain(p, force);
                    what = "maintenance of partition " + p + (force ? " (forced)" : "");
                } catch (MapCaches.SimulatedCrash crash) {
                    what = "maintenance of partition " + p + " cut short";
                }
                w.countdown[0] = -1;
            }
            if (w.rnd.nextInt(6) == 0) {
                w.retiredLater.forEach(keys -> keys.forEach(w.logStore::remove));
                w.retiredLater.clear();
            }
            try {
                w.verify("after step " + step + " (" + what + ")");
            } catch (io.hearth.catalog.HearthException e) {
                StringBuilder why = new StringBuilder();
                for (int p = 0; p < w.lp.partitions(); p++) {
                    int a = w.lp.anchor(p);
                    LogHead h = (LogHead) w.logStore.get(LogKey.head(a));
                    LogLevels l = (LogLevels) w.logStore.get(LogKey.levels(a));
                    why.append("\npartition ").append(p).append(" head ").append(h == null ? "-" : h.epoch() + " " + h.fresh())
                        .append(" levels ").append(l == null ? "-" : l.epoch() + " folding " + l.foldingId() + " " + l.runs());
                    for (RunRef r : LogReads.runsOf(h == null ? LogHead.EMPTY : h, l == null ? LogLevels.EMPTY : l)) {
                        for (int c = 0; c < r.chunks(); c++) {
                            if (!w.logStore.containsKey(new LogKey(a, r.id(), c))) {
                                why.append("\n  missing chunk ").append(c).append(" of ").append(r);
                            }
                        }
                    }
                }
                w.eventStore.forEach((k, v) -> {
                    if (v instanceof EntityIndex idx) {
                        for (int i = 0; i < idx.blockCount(); i++) {
                            if (idx.blockId(i) != EventKey.INLINE && !w.eventStore.containsKey(new EventKey(k.entity(), idx.blockId(i)))) {
                                why.append("\n  missing block ").append(idx.blockId(i)).append(" of ").append(k.entity());
                            }
                        }
                    }
                });
                throw new AssertionError(w.ctx + " after step " + step + " (" + what + "): " + e.getMessage() + why, e);
            }
        }
        for (int round = 0; round < 200 && !empty(w); round++) {
            w.maintain(round % w.lp.partitions(), true);
        }
        assertThat(empty(w)).as(w.ctx + " every log folds away").isTrue();
        w.verify("after folding everything");
        // Folded through and through: the events cache alone holds every event.
        SourceCaches foldedOnly = SourceCaches.foldedOnly(w.events);
        Map<String, EventReads.EntityEvents> read = EventReads.read(foldedOnly, "s", w.entities, Long.MIN_VALUE + 1,
            Long.MAX_VALUE, null, null);
        for (String e : w.entities) {
            int n = read.get(e) == null || read.get(e).events() == null ? 0 : read.get(e).events().size();
            assertThat(n).as(w.ctx + " folded events of " + e).isEqualTo(w.kept.get(e).size());
        }
    }

    private static boolean empty(World w) {
        for (int p = 0; p < w.lp.partitions(); p++) {
            if (!LogMaintenance.backlog(w.log, w.lp.anchor(p)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A new batch, with places (a Kafka poll) or without (HTTP); a crash in a placed write is followed by its replay. */
    private static String newBatch(World w) {
        int n = 1 + w.rnd.nextInt(12);
        boolean placed = w.rnd.nextBoolean();
        List<Object[]> batch = new ArrayList<>();
        long from = w.nextPosition;
        for (int i = 0; i < n; i++) {
            String entity = w.entities.get(w.rnd.nextInt(w.entities.size()));
            Ev e = w.randomEvent();
            Long pos = placed ? w.nextPosition++ : null;
            batch.add(new Object[] {entity, e, pos});
            if (placed) {
                w.byPosition.put(pos, new Object[] {entity, e});
            }
        }
        if (placed && w.rnd.nextInt(4) == 0) {
            w.countdown[0] = w.rnd.nextInt(4);
        }
        try {
            w.write(batch, placed, from, w.nextPosition);
        } catch (MapCaches.SimulatedCrash crash) {
            w.countdown[0] = -1;
            w.write(batch, placed, from, w.nextPosition); // the consumer applies the batch again
        }
        w.countdown[0] = -1;
        for (Object[] x : batch) {
            w.apply((String) x[0], (Ev) x[1], (Long) x[2]);
        }
        return (placed ? "placed" : "unplaced") + " batch of " + n;
    }

    /** Positions again from at or above the floor, some maybe new: a consumer that restarted from a stored offset. */
    private static String replay(World w) {
        if (w.nextPosition == w.floor) {
            return newBatch(w);
        }
        long from = w.floor + w.rnd.nextInt((int) (w.nextPosition - w.floor));
        long to = Math.min(w.nextPosition + w.rnd.nextInt(4), from + 1 + w.rnd.nextInt(16));
        List<Object[]> batch = new ArrayList<>();
        for (long pos = from; pos < to; pos++) {
            Object[] known = w.byPosition.get(pos);
            if (known == null) {
                known = new Object[] {w.entities.get(w.rnd.nextInt(w.entities.size())), w.randomEvent()};
                w.byPosition.put(pos, known);
            }
            batch.add(new Object[] {known[0], known[1], pos});
        }
        w.nextPosition = Math.max(w.nextPosition, to);
        w.write(batch, true, from, to);
        for (Object[] x : batch) {
            w.apply((String) x[0], (Ev) x[1], (Long) x[2]);
        }
        if (w.rnd.nextInt(3) == 0) {
            w.floor = from + w.rnd.nextInt((int) (to - from) + 1); // offsets stored: no replay starts below
        }
        return "replay of [" + from + ", " + to + ")";
    }

    @Test
    void aReplayedBatchIsAppliedOnceInEveryPartition() {
        World w = new World(7);
        List<Object[]> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String entity = w.entities.get(i % w.entities.size());
            Ev e = w.randomEvent();
            e = new Ev(0, e.ts(), e.created(), 0, e.values());
            batch.add(new Object[] {entity, e, (long) i});
        }
        w.write(batch, true, 0, 20);
        w.write(batch, true, 0, 20);
        w.write(batch.subList(5, 15), true, 5, 15);
        for (Object[] x : batch) {
            w.apply((String) x[0], (Ev) x[1], (Long) x[2]);
        }
        w.verify("after three deliveries");
        assertThat(w.kept.values().stream().mapToInt(List::size).sum()).isEqualTo(20);
    }
    @Test
    void aLogCreatedAgainNumbersItsDeltasAboveWhatTheIndexesRecorded() throws Exception {
        World w = new World(11);
        List<Object[]> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            first.add(new Object[] {w.entities.get(i % w.entities.size()), w.randomEvent(), null});
        }
        w.write(first, false, 0, 0);
        for (int p = 0; p < w.lp.partitions(); p++) {
            w.maintain(p, true);
            w.maintain(p, true);
        }
        first.forEach(x -> w.apply((String) x[0], (Ev) x[1], null));
        w.verify("folded");
        w.logStore.clear(); // the log's cache destroyed and created again (or its partitions reset)
        Thread.sleep(2);
        List<Object[]> second = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            second.add(new Object[] {w.entities.get(i % w.entities.size()), w.randomEvent(), null});
        }
        w.write(second, false, 0, 0);
        second.forEach(x -> w.apply((String) x[0], (Ev) x[1], null));
        w.verify("new events in a new log");
        for (int p = 0; p < w.lp.partitions(); p++) {
            w.maintain(p, true);
            w.maintain(p, true);
        }
        w.verify("folded again");
        assertThat(empty(w)).isTrue();
    }
}
