package io.hearth.node;

import io.hearth.testing.Seeds;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.ValueColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole extract path (events ingested in shuffled batches through the real receiver, the colocated task, the
 * training table) against the simplest possible reading of DESIGN.md section 5, on seeded random data with ties,
 * late arrivals, ttl and window boundaries, unknown entities and duplicate spine rows.
 */
class ExtractDuelIT {
    static final long DAY = 86_400_000L;
    /** Times start here: a spine row may be days before the first event, and Hearth's times start in 1970. */
    static final long T0 = 1_767_225_600_000L; // 2026-01-01
    static final List<String> FEATURES = List.of("customer_orders:last_amount", "customer_orders:last_channel",
        "customer_orders:purchase_frequency_30d", "customer_orders:average_order_value_30d", "customer_orders:spend_7d",
        "customer_orders:max_order_1d");

    @TempDir
    Path dir;

    /** An order as the oracle sees it: arrival number, entity, times and values. */
    record Ev(int arrival, String customer, long ts, Long created, Double amount, String channel) {
    }

    @Test
    void extractEqualsANaiveOracleOnSeededRandomData() throws Exception {
        long seed = Seeds.seed("ExtractDuelIT");
        Definitions defs = DefinitionsParser.parse("definitions.yaml",
            Files.readString(Path.of("../config/demo/definitions.yaml")));
        RowValidator v = new RowValidator(defs.source("orders").orElseThrow(), defs.entity("customer").orElseThrow());
        Random rnd = new Random(seed);
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            long ts = T0 + rnd.nextInt(120) * DAY / 4; // a 6-hour grid: many equal times
            Long created = rnd.nextInt(3) == 0 ? null : ts + rnd.nextInt(3);
            events.add(new Ev(i, "C" + rnd.nextInt(60), ts, created, rnd.nextInt(10_000) / 100.0, // amount is required
                rnd.nextInt(6) == 0 ? null : List.of("web", "app", "store").get(rnd.nextInt(3))));
        }
        try (HearthNode node = new HearthNode(TestNodes.single(dir)).start()) {
            RegistryStore registry = new RegistryStore(node.ignite(), Clock.systemUTC());
            registry.apply(defs);
            EventStore store = new EventStore(node.ignite());
            // Arrival order is the list order; batches of random size, so late events merge into old blocks.
            int i = 0;
            while (i < events.size()) {
                int n = 1 + rnd.nextInt(700);
                Map<String, EventBlock.Builder> b = new HashMap<>();
                for (Ev e : events.subList(i, Math.min(events.size(), i + n))) {
                    Map<String, Object> row = new HashMap<>();
                    row.put("customer_id", e.customer());
                    row.put("order_id", "o" + e.arrival());
                    row.put("event_ts", e.ts());
                    if (e.created() != null) {
                        row.put("created_ts", e.created());
                    }
                    if (e.amount() != null) {
                        row.put("amount", e.amount());
                    }
                    if (e.channel() != null) {
                        row.put("channel", e.channel());
                    }
                    RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                    b.computeIfAbsent(e.customer(), k -> v.newBlock()).add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
                }
                Map<String, EventBlock> blocks = new HashMap<>();
                b.forEach((k, x) -> blocks.put(k, x.build()));
                store.write("orders", blocks);
                i += n;
            }

            List<String[]> spineRows = new ArrayList<>();
            for (int r = 0; r < 400; r++) {
                String c = rnd.nextInt(10) == 0 ? "NOBODY" : "C" + rnd.nextInt(60);
                long t;
                if (rnd.nextBoolean()) {
                    Ev e = events.get(rnd.nextInt(events.size()));
                    c = e.customer();
                    long[] shifts = {0, -1, 1, 30 * DAY, 30 * DAY + 1, 7 * DAY, DAY};
                    t = e.ts() + shifts[rnd.nextInt(shifts.length)];
                } else {
                    t = T0 + rnd.nextInt(160) * DAY / 4 - 5 * DAY;
                }
                spineRows.add(new String[] {c, Long.toString(t), Integer.toString(r)});
                if (rnd.nextInt(8) == 0) {
                    spineRows.add(spineRows.get(spineRows.size() - 1));
                }
            }
            Spine spine = Spine.fromText(List.of("customer_id", "event_ts", "row"), spineRows.iterator(),
                defs.entity("customer").orElseThrow(), defs.source("orders").orElseThrow(), "event_ts");
            TrainingSets sets = new TrainingSets(node.ignite(), registry);
            TrainingSets.Outcome out = sets.buildTable(sets.check("duel", FEATURES.stream().map(FeatureRef::parse).toList()),
                spine, false, null);
            assertThat(out.rows()).isEqualTo(spineRows.size());

            List<List<?>> got = node.ignite().cache(CacheLayout.trainingCache("duel")).query(new SqlFieldsQuery(
                "SELECT customer_orders__last_amount, customer_orders__last_channel, customer_orders__purchase_frequency_30d, "
                    + "customer_orders__average_order_value_30d, customer_orders__spend_7d, customer_orders__max_order_1d "
                    + "FROM training.duel ORDER BY _key").setSchema("TRAINING")).getAll();
            for (int r = 0; r < spineRows.size(); r++) {
                String c = spineRows.get(r)[0];
                long t = Long.parseLong(spineRows.get(r)[1]);
                List<Object> want = oracle(events, c, t);
                assertThat(new ArrayList<Object>(got.get(r))).as("seed %d, spine row %d: %s at %d", seed, r + 1, c, t)
                    .containsExactlyElementsOf(want);
            }

            // The same join collected for a file: values come back as columns, in spine order.
            TrainingSets.Values col = sets.buildValues(sets.check("duel_file",
                FEATURES.stream().map(FeatureRef::parse).toList()), spine, null);
            assertThat(col.featureValues()).hasSize(FEATURES.size());
            for (int r = 0; r < spineRows.size(); r++) {
                String c = spineRows.get(r)[0];
                long t = Long.parseLong(spineRows.get(r)[1]);
                List<Object> values = new ArrayList<>();
                for (ValueColumn f : col.featureValues()) {
                    values.add(f.get(r));
                }
                assertThat(values).as("seed %d, collected spine row %d: %s at %d", seed, r + 1, c, t)
                    .containsExactlyElementsOf(oracle(events, c, t));
            }
        }
    }

    /** Section 5, read as plainly as possible. */
    static List<Object> oracle(List<Ev> all, String c, long t) {
        List<Ev> mine = new ArrayList<>();
        for (Ev e : all) {
            if (e.customer().equals(c) && e.ts() <= t) {
                mine.add(e);
            }
        }
        // Latest within ttl (30d, inclusive): greatest ts, then greatest created (none is least), then arrived last.
        Ev latest = null;
        for (Ev e : mine) {
            if (e.ts() >= t - 30 * DAY && (latest == null || later(e, latest))) {
                latest = e;
            }
        }
        List<Object> out = new ArrayList<>();
        out.add(latest == null ? null : latest.amount());
        out.add(latest == null ? null : latest.channel());
        out.add(count(mine, t, 30 * DAY));
        List<Double> in30 = amounts(mine, t, 30 * DAY);
        out.add(in30.isEmpty() ? null : sumOf(in30) / in30.size());
        List<Double> in7 = amounts(mine, t, 7 * DAY);
        out.add(in7.isEmpty() ? null : sumOf(in7));
        List<Double> in1 = amounts(mine, t, DAY);
        out.add(in1.isEmpty() ? null : Collections.max(in1));
        return out;
    }

    static boolean later(Ev a, Ev b) {
        if (a.ts() != b.ts()) {
            return a.ts() > b.ts();
        }
        long ca = a.created() == null ? Long.MIN_VALUE : a.created();
        long cb = b.created() == null ? Long.MIN_VALUE : b.created();
        return ca != cb ? ca > cb : a.arrival() > b.arrival();
    }

    static long count(List<Ev> mine, long t, long w) {
        return mine.stream().filter(e -> e.ts() > t - w && e.ts() <= t).count();
    }

    /** Non-null amounts in (t - w, t], in event order. */
    static List<Double> amounts(List<Ev> mine, long t, long w) {
        List<Ev> in = new ArrayList<>(mine.stream().filter(e -> e.ts() > t - w && e.ts() <= t).toList());
        in.sort((a, b) -> later(a, b) ? 1 : later(b, a) ? -1 : 0);
        List<Double> out = new ArrayList<>();
        in.forEach(e -> {
            if (e.amount() != null) {
                out.add(e.amount());
            }
        });
        return out;
    }

    /** The exact sum rounded once, as the semantics define double sums (BigDecimal here, not production's code). */
    static double sumOf(List<Double> xs) {
        java.math.BigDecimal s = java.math.BigDecimal.ZERO;
        for (double x : xs) {
            s = s.add(new java.math.BigDecimal(x));
        }
        return s.doubleValue();
    }
}
