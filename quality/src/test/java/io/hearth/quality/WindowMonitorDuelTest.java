package io.hearth.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-value checks of {@link WindowMonitor} (worked out once per column, timestamps not boxed) duel a naive count
 * over random windows: nulls, NaN, infinities, text in a numeric column, repeats; every window's unexpected counts
 * must be equal.
 */
class WindowMonitorDuelTest {
    private static final String DEFS = """
        entities: [{name: user, join_keys: [user_id]}]
        sources:
          - name: s
            entity: user
            timestamp_field: ts
            schema: {user_id: string, amount: double, items: long, kind: string, ts: timestamp}
            expectations:
              window: 50
              columns:
                user_id:
                  - {expect: unique, mostly: 0.5}
                  - {expect: in_set, values: [U1, U2, U3]}
                amount:
                  - {expect: between, min: 0, max: 10}
                  - {expect: not_null}
                  - {expect: between, min: 2}
                  - {expect: between, max: 5}
                  - {expect: in_set, values: ["1", "2.5", "7"]}
                items:
                  - {expect: in_set, values: [0, 1, 2]}
                  - {expect: between, min: 1, max: 1}
                kind:
                  - {expect: in_set, values: [web, app]}
                  - {expect: unique}
                ts:
                  - {expect: unique}
                  - {expect: in_set, values: ["100", "101", "102"]}
        """;

    @Test
    void unexpectedCountsOfEveryWindowEqualANaiveCount() {
        Definitions d = DefinitionsParser.parse("d.yaml", DEFS);
        Source s = d.source("s").orElseThrow();
        Entity e = d.entity("user").orElseThrow();
        List<String> stored = RowValidator.storedColumns(s, e);
        Seeds.range(20).forEach(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            WindowMonitor m = new WindowMonitor(s, stored, e.joinKeys(), n -> null, "test");
            List<Object[]> window = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                Object[] values = new Object[stored.size()];
                Map<String, Object> row = new HashMap<>();
                row.put("user_id", r.nextInt(8) == 0 ? null : "U" + r.nextInt(6));
                put(values, stored, "amount", pick(r, null, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    "3.5", "x", 1.0, 2.5, 7.0, r.nextInt(24) / 2.0 - 1));
                put(values, stored, "items", pick(r, null, 0L, 1L, 2L, 3L, (long) r.nextInt(5), "1"));
                put(values, stored, "kind", pick(r, null, "web", "app", "store", 7L));
                long ts = 95 + r.nextInt(20);
                List<QualityResult> out = m.observe(values, ts, Long.MIN_VALUE, row, i);
                window.add(values);
                times.add(ts);
                rows.add(row);
                if (out != null) {
                    assertThat(unexpected(out)).as(Seeds.replay(seed) + ", window ending at record " + i)
                        .isEqualTo(naive(s, stored, window, times, rows));
                    window.clear();
                    times.clear();
                    rows.clear();
                }
            }
        });
    }

    private static void put(Object[] values, List<String> stored, String column, Object v) {
        values[stored.indexOf(column)] = v;
    }

    private static Object pick(SplittableRandom r, Object... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static List<String> unexpected(List<QualityResult> out) {
        return out.stream().map(x -> x.column() + " " + x.expect() + " " + x.unexpectedCount()).toList();
    }

    /** The same counts, the simplest way: each expectation over each value, in the definitions' order. */
    private static List<String> naive(Source s, List<String> stored, List<Object[]> window, List<Long> times,
                                      List<Map<String, Object>> rows) {
        List<String> out = new ArrayList<>();
        s.expectations().columns().forEach((col, list) -> {
            List<Object> vs = new ArrayList<>();
            for (int i = 0; i < window.size(); i++) {
                vs.add(col.equals("ts") ? (Object) times.get(i) : col.equals("user_id") ? rows.get(i).get(col)
                    : window.get(i)[stored.indexOf(col)]);
            }
            for (io.hearth.catalog.Expectation x : list) {
                long bad = 0;
                if (x instanceof io.hearth.catalog.Expectation.NotNull) {
                    bad = vs.stream().filter(v -> v == null).count();
                } else if (x instanceof io.hearth.catalog.Expectation.Between b) {
                    for (Object v : vs) {
                        double dv = number(v);
                        if (v != null && (Double.isNaN(dv) || b.min() != null && dv < b.min() || b.max() != null && dv > b.max())) {
                            bad++;
                        }
                    }
                } else if (x instanceof io.hearth.catalog.Expectation.InSet in) {
                    boolean numeric = s.type(col).isNumeric();
                    for (Object v : vs) {
                        if (v != null && !(numeric ? in.values().stream().anyMatch(t -> Double.parseDouble(t) == number(v))
                            : in.values().contains(v.toString()))) {
                            bad++;
                        }
                    }
                } else if (x instanceof io.hearth.catalog.Expectation.Unique) {
                    Map<Object, Integer> c = new HashMap<>();
                    vs.stream().filter(v -> v != null).forEach(v -> c.merge(v, 1, Integer::sum));
                    bad = c.values().stream().filter(n -> n > 1).mapToLong(n -> n).sum();
                }
                out.add(col + " " + x.expect() + " " + bad);
            }
        });
        return out;
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return v == null ? Double.NaN : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
