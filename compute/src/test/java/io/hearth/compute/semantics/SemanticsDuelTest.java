package io.hearth.compute.semantics;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.semantics.FeatureEvaluator;
import io.hearth.compute.testing.NaiveOracle;
import io.hearth.compute.testing.NaiveOracle.Ev;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Duel: point-in-time values and windowed aggregates computed by production over blocks built the way ingest
 * builds them (sorted batches merged into the stored run, re-cut into blocks and concatenated again) against
 * {@link NaiveOracle} over the raw events. Seeds are fixed; set {@code -Dhearth.seed=N} to replay one.
 */
class SemanticsDuelTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final long STEP = 1_000L;

    static LongStream seeds() {
        return Seeds.range(20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void featureEvaluatorMatchesNaiveOracleOnRandomEvents(long seed) {
        Random rnd = new Random(seed);
        int n = seed % 8 == 0 ? rnd.nextInt(3) : rnd.nextInt(220);
        List<Ev> events = NaiveOracle.randomEvents(rnd, n, BASE, STEP);
        int[] cuts = NaiveOracle.randomCuts(rnd, n, 5);
        boolean firstBatchLacksB = rnd.nextInt(3) == 0;
        if (firstBatchLacksB) {
            for (int i = cuts[0]; i < cuts[1]; i++) {
                events.get(i).values()[3] = null; // a column added after the first batch reads as null there
            }
        }
        EventBlock stored = store(events, cuts, firstBatchLacksB);
        String ctx = Seeds.replay(seed) + ", " + n + " events in "
            + (cuts.length - 1) + " batches:";
        assertStoredRunIsTheOracleOrder(stored, events, ctx);
        EventBlock recut = recut(rnd, stored);
        assertThat(recut.timestamps()).as(ctx + " recut run").startsWith(Arrays.copyOf(stored.timestamps(), n));

        long span = Math.max(1, n) * STEP;
        long[] windows = {STEP, (2 + rnd.nextInt(5)) * STEP + rnd.nextInt(2) * 500, (10 + rnd.nextInt(30)) * STEP};
        List<Feature> features = NaiveOracle.features(windows);
        long ttl = (1 + rnd.nextInt(12)) * STEP + rnd.nextInt(3) * 250;
        long hop = (1 + rnd.nextInt(4)) * 500;
        int evaluated = 0;
        for (long[] cfg : new long[][] {{0, 0}, {ttl, 0}, {0, hop}, {ttl, hop}}) {
            FeatureView view = new FeatureView("v", "user", "clicks", true, cfg[0], cfg[1], features, null, Map.of(), null);
            for (long t : NaiveOracle.probeTimes(rnd, events, BASE, span, cfg[0], windows, cfg[1], 30)) {
                boolean anyAtOrBefore = events.stream().anyMatch(e -> e.ts() <= t);
                long ttlNow = cfg[0];
                long hopNow = cfg[1];
                for (Feature f : features) {
                    FeatureValue expected = NaiveOracle.evaluate(events, f, t, cfg[0], cfg[1]);
                    FeatureValue actual = FeatureEvaluator.evaluate(view, f, NaiveOracle.SOURCE, n == 0 ? null : recut,
                        anyAtOrBefore, t);
                    NaiveOracle.assertSame(actual, expected, f,
                        () -> ctx + " ttl=" + ttlNow + " hop=" + hopNow + " t=" + t + " (base+" + (t - BASE) + ")");
                    evaluated++;
                }
            }
        }
        assertThat(evaluated).isGreaterThan(1000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pointInTimeAndWindowsMatchNaiveOracleOnRawColumns(long seed) {
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        int n = 1 + rnd.nextInt(150);
        List<Ev> events = NaiveOracle.randomEvents(rnd, n, BASE, STEP);
        EventBlock stored = store(events, NaiveOracle.randomCuts(rnd, n, 4), false);
        long[] windows = {STEP, 3 * STEP, 20 * STEP};
        String ctx = Seeds.replay(seed) + ":";
        for (long t : NaiveOracle.probeTimes(rnd, events, BASE, n * STEP, 4 * STEP, windows, 0, 30)) {
            for (String c : NaiveOracle.COLUMNS) {
                for (long ttl : new long[] {0, 4 * STEP}) {
                    Feature f = new Feature("plain_" + c, c, null, 0, null);
                    FeatureValue actual = PointInTime.plain(stored.timestamps(), stored.size(),
                        stored.column(c, NaiveOracle.typeOf(c)), t, ttl, false);
                    NaiveOracle.assertSame(actual, NaiveOracle.plain(events, c, t, ttl), f, () -> ctx + " t=" + t + " ttl=" + ttl);
                }
                for (Aggregation agg : Aggregation.values()) {
                    if (agg.needsNumeric() && !NaiveOracle.typeOf(c).isNumeric()) {
                        continue;
                    }
                    for (long w : windows) {
                        Feature f = new Feature(agg + "_" + c, c, agg, w, null);
                        FeatureValue actual = Windows.aggregate(agg, stored.timestamps(), stored.size(),
                            stored.column(c, NaiveOracle.typeOf(c)), t, w, 0);
                        FeatureValue expected = NaiveOracle.windowed(events, agg, c, t, w, 0);
                        if (expected.status() == Status.NOT_FOUND) { // Windows itself does not know about NOT_FOUND
                            expected = new FeatureValue(expected.value(),
                                expected.value() == null ? Status.NULL_VALUE : Status.PRESENT, FeatureValue.NO_TIME);
                        }
                        NaiveOracle.assertSame(actual, expected, f, () -> ctx + " t=" + t + " w=" + w);
                    }
                }
            }
        }
    }

    /** Ingest as production does: each batch built in arrival order and sorted, then merged into the stored run. */
    private static EventBlock store(List<Ev> events, int[] cuts, boolean firstBatchLacksB) {
        EventBlock stored = null;
        for (int b = 0; b + 1 < cuts.length; b++) {
            boolean narrow = b == 0 && firstBatchLacksB;
            List<String> names = narrow ? NaiveOracle.COLUMNS.subList(0, 3) : NaiveOracle.COLUMNS;
            List<ColumnType> types = narrow ? NaiveOracle.TYPES.subList(0, 3) : NaiveOracle.TYPES;
            EventBlock.Builder builder = new EventBlock.Builder(names, types);
            for (int i = cuts[b]; i < cuts[b + 1]; i++) {
                Ev e = events.get(i);
                builder.add(e.ts(), e.created(), 0, Arrays.copyOf(e.values(), names.size()));
            }
            EventBlock batch = builder.build().sorted();
            stored = stored == null ? batch : stored.merge(batch);
        }
        return stored;
    }

    /** Cuts the run into blocks at random places where the event time changes, and concatenates them again. */
    private static EventBlock recut(Random rnd, EventBlock run) {
        List<EventBlock> blocks = new ArrayList<>();
        int from = 0;
        for (int i = 1; i < run.size(); i++) {
            if (run.ts(i) != run.ts(i - 1) && rnd.nextInt(4) == 0) {
                blocks.add(run.slice(from, i));
                from = i;
            }
        }
        blocks.add(run.slice(from, run.size()));
        return EventBlock.concat(blocks);
    }

    private static void assertStoredRunIsTheOracleOrder(EventBlock stored, List<Ev> events, String ctx) {
        List<Ev> sorted = new ArrayList<>(events);
        sorted.sort(NaiveOracle.ORDER);
        assertThat(stored == null ? 0 : stored.size()).as(ctx + " stored size").isEqualTo(events.size());
        for (int i = 0; i < sorted.size(); i++) {
            Ev e = sorted.get(i);
            assertThat(stored.ts(i)).as(ctx + " ts at " + i).isEqualTo(e.ts());
            assertThat(stored.created(i)).as(ctx + " created at " + i).isEqualTo(e.created());
            for (int c = 0; c < NaiveOracle.COLUMNS.size(); c++) {
                String name = NaiveOracle.COLUMNS.get(c);
                assertThat(stored.column(name, NaiveOracle.TYPES.get(c)).valueAt(i)).as(ctx + " " + name + " at " + i
                    + " of " + e).isEqualTo(e.values()[c]);
            }
        }
    }
}
