package io.hearth.compute.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureEvaluatorTest {
    private static final long DAY = 86_400_000L;
    private static final long T = 100 * DAY;

    private static final Feature LAST_AMOUNT = new Feature("last_amount", "amount", null, 0, null);
    private static final Feature COUNT_7D = new Feature("count_7d", null, Aggregation.COUNT, 7 * DAY, null);
    private static final Feature SUM_7D = new Feature("sum_7d", "amount", Aggregation.SUM, 7 * DAY, null);
    private static final Feature MAX_1D = new Feature("max_1d", "amount", Aggregation.MAX, DAY, null);

    private static Source source() {
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        schema.put("customer_id", ColumnType.STRING);
        schema.put("amount", ColumnType.DOUBLE);
        schema.put("channel", ColumnType.STRING);
        schema.put("event_ts", ColumnType.TIMESTAMP);
        schema.put("created_ts", ColumnType.TIMESTAMP);
        return new Source("orders", "customer", "event_ts", "created_ts", null, schema, Map.of(), 0.05, null, null);
    }

    private static FeatureView view(long ttl, long hop) {
        return new FeatureView("customer_orders", "customer", "orders", true, ttl, hop,
            List.of(LAST_AMOUNT, COUNT_7D, SUM_7D, MAX_1D), null, Map.of(), null);
    }

    private static EventBlock events(long[] ts, long[] created, Double[] amounts) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("amount", "channel"),
            List.of(ColumnType.DOUBLE, ColumnType.STRING));
        for (int i = 0; i < ts.length; i++) {
            b.add(ts[i], created[i], 0, new Object[] {amounts[i], "web"});
        }
        return b.build().sorted();
    }

    @Test
    void earliestNeededCoversTheLongestReachOfTheFeatures() {
        assertThat(FeatureEvaluator.earliestNeeded(view(0, 0), List.of(LAST_AMOUNT), T))
            .as("plain without ttl reads only the block holding t").isEqualTo(T);
        assertThat(FeatureEvaluator.earliestNeeded(view(30 * DAY, 0), List.of(LAST_AMOUNT), T))
            .as("ttl is checked against the latest event, which the block holding t has").isEqualTo(T);
        assertThat(FeatureEvaluator.earliestNeeded(view(0, 0), List.of(COUNT_7D), T)).isEqualTo(T - 7 * DAY + 1);
        assertThat(FeatureEvaluator.earliestNeeded(view(DAY, 0), List.of(LAST_AMOUNT, MAX_1D, COUNT_7D), T))
            .isEqualTo(T - 7 * DAY + 1);
        assertThat(FeatureEvaluator.earliestNeeded(view(30 * DAY, 0), List.of(LAST_AMOUNT, COUNT_7D), T))
            .as("a ttl longer than the window reads no further").isEqualTo(T - 7 * DAY + 1);
        assertThat(FeatureEvaluator.earliestNeeded(view(0, DAY), List.of(COUNT_7D), T + DAY / 2))
            .as("hop aligns the window end down").isEqualTo(T - 7 * DAY + 1);
        assertThat(FeatureEvaluator.earliestNeeded(view(0, 0), List.of(), T)).isEqualTo(T);
    }

    @Test
    void plainFeatureStatuses() {
        EventBlock e = events(new long[] {T - 40 * DAY, T - 2 * DAY, T - DAY}, new long[] {1, 1, 1},
            new Double[] {5.0, 7.0, null});
        Source s = source();
        assertThat(FeatureEvaluator.evaluate(view(30 * DAY, 0), LAST_AMOUNT, s, e, true, T))
            .isEqualTo(new FeatureValue(null, Status.NULL_VALUE, T - DAY));
        assertThat(FeatureEvaluator.evaluate(view(30 * DAY, 0), LAST_AMOUNT, s, e, true, T - 3 * DAY))
            .as("only an event older than ttl").isEqualTo(new FeatureValue(null, Status.OUTSIDE_MAX_AGE, T - 40 * DAY));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), LAST_AMOUNT, s, e, true, T - 3 * DAY))
            .isEqualTo(new FeatureValue(5.0, Status.PRESENT, T - 40 * DAY));
        assertThat(FeatureEvaluator.evaluate(view(30 * DAY, 0), LAST_AMOUNT, s, e, false, T - 41 * DAY))
            .isEqualTo(FeatureValue.NOT_FOUND);
        assertThat(FeatureEvaluator.evaluate(view(30 * DAY, 0), LAST_AMOUNT, s, null, false, T))
            .as("entity unknown").isEqualTo(FeatureValue.NOT_FOUND);
    }

    @Test
    void windowedFeatureOfUnknownEntityIsNotFoundWithEmptyWindowValue() {
        assertThat(FeatureEvaluator.evaluate(view(0, 0), COUNT_7D, source(), null, false, T))
            .isEqualTo(new FeatureValue(0L, Status.NOT_FOUND, FeatureValue.NO_TIME));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), SUM_7D, source(), null, false, T))
            .isEqualTo(new FeatureValue(null, Status.NOT_FOUND, FeatureValue.NO_TIME));
    }

    @Test
    void windowedFeatureOverKnownEntityWithEmptyWindow() {
        EventBlock e = events(new long[] {T - 10 * DAY}, new long[] {1}, new Double[] {5.0});
        assertThat(FeatureEvaluator.evaluate(view(0, 0), COUNT_7D, source(), e, true, T))
            .isEqualTo(new FeatureValue(0L, Status.PRESENT, FeatureValue.NO_TIME));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), SUM_7D, source(), e, true, T))
            .isEqualTo(new FeatureValue(null, Status.NULL_VALUE, FeatureValue.NO_TIME));
    }

    @Test
    void ttlDoesNotApplyToWindowedAggregates() {
        EventBlock e = events(new long[] {T - 5 * DAY, T - 3 * DAY}, new long[] {1, 1}, new Double[] {1.0, 2.0});
        assertThat(FeatureEvaluator.evaluate(view(DAY, 0), SUM_7D, source(), e, true, T))
            .isEqualTo(new FeatureValue(3.0, Status.PRESENT, T - 3 * DAY));
    }

    @Test
    void hopChangesWhichEventsTheWindowSees() {
        EventBlock e = events(new long[] {T - 7 * DAY + 1, T}, new long[] {1, 1}, new Double[] {1.0, 2.0});
        assertThat(FeatureEvaluator.evaluate(view(0, 0), SUM_7D, source(), e, true, T).value()).isEqualTo(3.0);
        assertThat(FeatureEvaluator.evaluate(view(0, 0), SUM_7D, source(), e, true, T + 1).value())
            .as("the oldest event slid out").isEqualTo(2.0);
        assertThat(FeatureEvaluator.evaluate(view(0, DAY), SUM_7D, source(), e, true, T + DAY - 1).value())
            .as("with a 1d hop the end stays at T").isEqualTo(3.0);
    }

    @Test
    void timeFieldsCanBeFeatureColumns() {
        EventBlock e = events(new long[] {T - 2, T - 1}, new long[] {42, EventBlock.NO_CREATED}, new Double[] {1.0, 2.0});
        Feature lastTs = new Feature("last_ts", "event_ts", null, 0, null);
        Feature lastCreated = new Feature("last_created", "created_ts", null, 0, null);
        Feature maxCreated = new Feature("max_created", "created_ts", Aggregation.MAX, DAY, null);
        Feature countCreated = new Feature("count_created", "created_ts", Aggregation.COUNT, DAY, null);
        assertThat(FeatureEvaluator.evaluate(view(0, 0), lastTs, source(), e, true, T))
            .isEqualTo(new FeatureValue(T - 1, Status.PRESENT, T - 1));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), lastCreated, source(), e, true, T))
            .as("a missing created time reads as null").isEqualTo(new FeatureValue(null, Status.NULL_VALUE, T - 1));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), maxCreated, source(), e, true, T).value()).isEqualTo(42L);
        assertThat(FeatureEvaluator.evaluate(view(0, 0), countCreated, source(), e, true, T).value()).isEqualTo(1L);
    }

    @Test
    void columnMissingFromOldBlocksReadsAsNull() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("channel"), List.of(ColumnType.STRING));
        b.add(T - 1, 1, 0, new Object[] {"web"});
        EventBlock e = b.build().sorted();
        assertThat(FeatureEvaluator.evaluate(view(0, 0), LAST_AMOUNT, source(), e, true, T))
            .isEqualTo(new FeatureValue(null, Status.NULL_VALUE, T - 1));
        assertThat(FeatureEvaluator.evaluate(view(0, 0), SUM_7D, source(), e, true, T))
            .isEqualTo(new FeatureValue(null, Status.NULL_VALUE, T - 1));
    }
}
