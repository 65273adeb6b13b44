package io.hearth.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.RowValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What each expectation observes over a window, as docs/semantics.md ("Data quality") defines it. */
class WindowMonitorTest {
    static final String YAML = """
        entities:
          - {name: account, join_keys: [account_id]}
        sources:
          - name: payments
            entity: account
            timestamp_field: event_ts
            schema: {account_id: string, payment_id: string, event_ts: timestamp, amount: double, country: string}
            expectations:
              window: %s
              columns:
                amount:
                  - {expect: not_null, mostly: 0.9, severity: block}
                  - {expect: between, min: 0, max: 100, mostly: 0.5}
                  - {expect: mean_between, min: 0, max: 10}
                  - {expect: stddev_between, max: 1}
                  - {expect: null_rate, k: 3, windows: 5}
                  - {expect: drift, method: psi, reference: ref, warn: 0.1, fail: 0.25}
                country:
                  - {expect: in_set, values: [US, DE]}
                payment_id:
                  - {expect: unique}
                account_id:
                  - {expect: not_null}
                event_ts:
                  - {expect: freshness, max_lag: 1m}
        """;

    static WindowMonitor monitor(String window, Function<String, Reference> refs) {
        Definitions d = DefinitionsParser.parse("t.yaml", YAML.formatted(window));
        Source s = d.source("payments").orElseThrow();
        return new WindowMonitor(s, RowValidator.storedColumns(s, d.entity("account").orElseThrow()), List.of("account_id"),
            refs, "test");
    }

    /** Stored values are (payment_id, amount, country), as RowValidator lays them out. */
    static List<QualityResult> add(WindowMonitor m, String id, Double amount, String country, long ts, long now) {
        Map<String, Object> row = new HashMap<>();
        row.put("account_id", "A1");
        return m.observe(new Object[] {id, amount, country}, ts, Long.MIN_VALUE, row, now);
    }

    static QualityResult of(List<QualityResult> rs, String column, String expect) {
        return rs.stream().filter(r -> r.column().equals(column) && r.expect().equals(expect)).findFirst().orElseThrow();
    }

    @Test
    void aWindowOfRecordsClosesAtItsLastRecordWithOneResultPerExpectation() {
        WindowMonitor m = monitor("4", name -> null);
        assertThat(add(m, "p1", 1.0, "US", 1000, 60_000)).isNull();
        assertThat(add(m, "p1", null, "FR", 2000, 61_000)).isNull();
        assertThat(add(m, "p2", 300.0, null, 3000, 62_000)).isNull();
        List<QualityResult> rs = add(m, "p3", 2.0, "DE", 4000, 63_000);
        assertThat(rs).hasSize(9); // drift has no reference yet: no result
        QualityResult nn = of(rs, "amount", "not_null");
        assertThat(nn.elementCount()).isEqualTo(4);
        assertThat(nn.unexpectedCount()).isEqualTo(1);
        assertThat(nn.observed()).isEqualTo(0.75);
        assertThat(nn.success()).isFalse();
        assertThat(nn.blocks()).isTrue();
        assertThat(nn.windowStart()).isEqualTo(60_000);
        assertThat(nn.windowEnd()).isEqualTo(63_000);
        QualityResult between = of(rs, "amount", "between"); // 300 of three non-null values outside [0, 100]
        assertThat(between.unexpectedCount()).isEqualTo(1);
        assertThat(between.observed()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(between.success()).isTrue();
        assertThat(of(rs, "amount", "mean_between").observed()).isEqualTo(101.0);
        assertThat(of(rs, "amount", "stddev_between").observed()).isCloseTo(Math.sqrt((100 * 100 + 99 * 99 + 199 * 199)
            / 2.0), within(1e-9));
        QualityResult set = of(rs, "country", "in_set"); // FR of three non-null
        assertThat(set.unexpectedCount()).isEqualTo(1);
        assertThat(set.observed()).isCloseTo(2.0 / 3, within(1e-12));
        QualityResult unique = of(rs, "payment_id", "unique"); // p1 twice: both occurrences
        assertThat(unique.unexpectedCount()).isEqualTo(2);
        assertThat(unique.observed()).isEqualTo(0.5);
        assertThat(of(rs, "account_id", "not_null").success()).isTrue();
        QualityResult fresh = of(rs, "event_ts", "freshness"); // newest event 4 s, window closed at 63 s
        assertThat(fresh.observed()).isEqualTo(59.0);
        assertThat(fresh.success()).isTrue();
        assertThat(of(rs, "amount", "null_rate").detail()).contains("learning");
        // the next window starts empty
        assertThat(add(m, "p9", 1.0, "US", 5000, 64_000)).isNull();
    }

    @Test
    void theNullRateBandLearnsFromPassedWindowsAndFailsAJump() {
        WindowMonitor m = monitor("100", name -> null);
        List<QualityResult> last = null;
        for (int w = 0; w < 6; w++) {
            for (int i = 0; i < 100; i++) {
                List<QualityResult> r = add(m, "p" + w + "_" + i, i < 2 ? null : 1.0, "US", 1000, 60_000);
                if (r != null) {
                    last = r;
                }
            }
            assertThat(of(last, "amount", "null_rate").success()).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            List<QualityResult> r = add(m, "q" + i, i < 20 ? null : 1.0, "US", 1000, 60_000);
            if (r != null) {
                last = r;
            }
        }
        QualityResult nr = of(last, "amount", "null_rate");
        assertThat(nr.observed()).isEqualTo(0.2);
        assertThat(nr.success()).isFalse();
        assertThat(nr.detail()).contains("band 0.0200");
    }

    @Test
    void driftComparesWithTheReferenceOnceItExists() {
        double[] ref = new double[1000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = i % 10;
        }
        Reference r = Reference.of("ref", "payments", "amount", null, null, 0L, 1L, ref, 0, 0);
        WindowMonitor m = monitor("10", name -> name.equals("ref") ? r : null);
        List<QualityResult> rs = null;
        for (int i = 0; i < 10; i++) {
            rs = add(m, "p" + i, 9.0, "US", 1000, 60_000); // everything in the top bin
        }
        QualityResult d = of(rs, "amount", "drift");
        // all ten values in the top bin (9 >= the ninth edge): PSI from the reference's shares and that one full bin
        assertThat(d.observed()).isGreaterThan(2.0);
        assertThat(d.observed()).isCloseTo(Drift.psi(r.shares(), Drift.shares(r.edges(), new double[] {9, 9, 9, 9, 9, 9,
            9, 9, 9, 9}, 10)), within(1e-12));
        assertThat(d.success()).isFalse();
        assertThat(d.severity()).isEqualTo(io.hearth.catalog.Expectation.Severity.WARN);
    }

    @Test
    void aWindowOfTimeClosesAtTheFirstRecordAfterItOrOnTheTicker() {
        WindowMonitor m = monitor("1m", name -> null);
        assertThat(add(m, "p1", 1.0, "US", 1000, 60_500)).isNull();
        assertThat(add(m, "p2", 1.0, "US", 1000, 119_999)).isNull();
        List<QualityResult> rs = add(m, "p3", 1.0, "US", 1000, 120_000);
        assertThat(of(rs, "amount", "not_null").elementCount()).isEqualTo(2);
        assertThat(of(rs, "amount", "not_null").windowStart()).isEqualTo(60_000);
        assertThat(of(rs, "amount", "not_null").windowEnd()).isEqualTo(120_000);
        assertThat(m.tick(179_999)).isNull();
        List<QualityResult> ticked = m.tick(180_000);
        assertThat(of(ticked, "amount", "not_null").elementCount()).isEqualTo(1);
        assertThat(m.tick(240_000)).isNull(); // an empty span gives no result
    }

    @Test
    void aRestartForgetsTheWindowUnderWay() {
        WindowMonitor m = monitor("3", name -> null);
        add(m, "p1", null, "US", 1000, 60_000);
        add(m, "p2", null, "US", 1000, 60_000);
        m.restart();
        List<QualityResult> rs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<QualityResult> r = add(m, "q" + i, 1.0, "US", 1000, 60_000);
            if (r != null) {
                rs = r;
            }
        }
        assertThat(of(rs, "amount", "not_null").unexpectedCount()).isZero();
    }
}
