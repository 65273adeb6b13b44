package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window summaries and compaction over real HTTP on a real persistent node: an entity with 6,000 events over 300
 * days (six stored blocks) answers a 200-day sum exactly (summaries of the blocks between, raw ends), and after
 * {@code POST /v1/compaction} drops what its source's retention allows, every answer inside the retention is the
 * same as before, byte for byte.
 */
class CompactionIT {
    static final long DAY = 86_400_000L;
    static final long NOW = Timestamps.parse("2026-03-01T00:00:00Z");
    static final int EVENTS = 6000;
    static final String YAML = """
        project: compaction
        entities:
          - name: user
            join_keys: [user_id]
        sources:
          - name: clicks
            entity: user
            timestamp_field: ts
            retention: 30d
            schema:
              user_id: string
              ts: timestamp
              amount: double
              n: long
        feature_views:
          - name: activity
            entity: user
            source: clicks
            features:
              - {name: last_amount, column: amount}
              - {name: amount_200d, aggregation: sum, column: amount, window: 200d}
              - {name: avg_200d, aggregation: avg, column: amount, window: 200d}
              - {name: n_200d, aggregation: sum, column: n, window: 200d}
              - {name: max_7d, aggregation: max, column: amount, window: 7d}
              - {name: clicks_200d, aggregation: count, window: 200d}
        """;
    static final String FEATURES = "[\"activity:last_amount\",\"activity:amount_200d\",\"activity:avg_200d\","
        + "\"activity:n_200d\",\"activity:max_7d\",\"activity:clicks_200d\"]";

    @TempDir
    static Path dir;
    static Harness h;
    static final List<long[]> times = new ArrayList<>();   // {ts}
    static final List<Double> amounts = new ArrayList<>();

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
        assertThat(h.applyYaml(YAML).status()).isEqualTo(200);
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            long ts = NOW - 300 * DAY + i * (300 * DAY / EVENTS) + r.nextLong(1000);
            double amount = r.nextInt(1_000_000) / 1000.0 - 10;
            times.add(new long[] {ts});
            amounts.add(amount);
            body.append("{\"user_id\":\"U1\",\"ts\":").append(ts).append(",\"amount\":").append(amount)
                .append(",\"n\":").append(i).append("}\n");
        }
        body.append("{\"user_id\":\"U2\",\"ts\":").append(NOW - 250 * DAY).append(",\"amount\":1.5,\"n\":1}\n");
        Harness.Response ingest = h.ndjson("clicks", body.toString());
        assertThat(ingest.status()).as(ingest.body()).isEqualTo(200);
        assertThat(ingest.json().get("accepted").asLong()).isEqualTo(EVENTS + 1);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String lookup(String asOf) {
        Harness.Response r = h.postJson("/v1/features/online", "{\"features\":" + FEATURES
            + ",\"entities\":{\"user_id\":[\"U1\",\"U2\"]}" + (asOf == null ? "" : ",\"as_of\":\"" + asOf + "\"") + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    static JsonNode value(String body, String feature, int entity) throws Exception {
        JsonNode n = Harness.JSON.readTree(body);
        JsonNode names = n.get("metadata").get("feature_names");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).asText().equals(feature)) {
                return n.get("results").get(i).get("values").get(entity);
            }
        }
        throw new AssertionError(feature + " not in " + body);
    }

    @Test
    void windowsOverManyBlocksAreExactAndCompactionKeepsEveryAnswerInsideTheRetention() throws Exception {
        String now = lookup(null);
        // The 200-day sum over the blocks, against the exact sum of the same events rounded once.
        BigDecimal exact = BigDecimal.ZERO;
        long count = 0;
        long nSum = 0;
        for (int i = 0; i < EVENTS; i++) {
            if (times.get(i)[0] > NOW - 200 * DAY) {
                exact = exact.add(new BigDecimal(amounts.get(i)));
                count++;
                nSum += i;
            }
        }
        assertThat(value(now, "activity__clicks_200d", 0).asLong()).isEqualTo(count);
        assertThat(value(now, "activity__amount_200d", 0).asDouble()).isEqualTo(exact.doubleValue());
        assertThat(value(now, "activity__avg_200d", 0).asDouble()).isEqualTo(exact.doubleValue() / count);
        assertThat(value(now, "activity__n_200d", 0).asLong()).isEqualTo(nSum);
        assertThat(h.get("/v1/sources/clicks/events?entity=U1&limit=100000").json().get("events")).hasSize(EVENTS);

        List<String> asOfs = List.of("2026-01-30T00:00:00Z", "2026-02-10T12:00:00Z", "2026-02-28T23:59:59.999Z");
        List<String> before = new ArrayList<>();
        for (String t : asOfs) {
            before.add(lookup(t));
        }
        String beforeNow = lookup(null);

        JsonNode c = h.postJson("/v1/compaction", "").json();
        // retention 30d + horizon 200d: events before NOW - 230d may go, except the block holding that time.
        assertThat(c.get("events_dropped").asLong()).as(c.toString()).isPositive();
        assertThat(c.get("entities").asLong()).as("U2's single event is its only block: it stays").isEqualTo(1);
        int left = h.get("/v1/sources/clicks/events?entity=U1&limit=100000").json().get("events").size();
        assertThat(left).isEqualTo(EVENTS - c.get("events_dropped").asInt());
        long oldestLeft = Timestamps.parse(h.get("/v1/sources/clicks/events?entity=U1&limit=1").json()
            .get("events").get(0).get("ts").asText());
        assertThat(oldestLeft).as("the block holding the cutoff stays").isLessThanOrEqualTo(NOW - 230 * DAY);

        for (int i = 0; i < asOfs.size(); i++) {
            assertThat(lookup(asOfs.get(i))).as("as of " + asOfs.get(i)).isEqualTo(before.get(i));
        }
        assertThat(lookup(null)).isEqualTo(beforeNow);
        assertThat(h.postJson("/v1/compaction", "").json().get("events_dropped").asLong())
            .as("a second run finds nothing more").isZero();
    }

    /**
     * Online lookups of the large entity (windows from block summaries) equal training rows (windows scanned event
     * by event on the node) bit for bit, at times on and next to event times and window edges.
     */
    @Test
    void summaryLookupsEqualTrainingRowsBitForBit() throws Exception {
        SplittableRandom r = new SplittableRandom(99);
        List<String[]> rows = new ArrayList<>();
        StringBuilder spine = new StringBuilder("user_id,event_ts\n");
        for (int i = 0; i < 60; i++) {
            long t;
            if (i % 3 == 0) { // on an event, or a 200-day or 7-day window after one, or a millisecond before
                long e = times.get(EVENTS - 1 - r.nextInt(EVENTS / 10))[0];
                long[] shifts = {0, -1, 1, 7 * DAY, 200 * DAY - 1};
                t = Math.max(NOW - 30 * DAY, Math.min(NOW, e + shifts[r.nextInt(shifts.length)]));
            } else {
                t = NOW - r.nextLong(29 * DAY);
            }
            String user = i % 10 == 0 ? "U2" : "U1";
            rows.add(new String[] {user, Timestamps.format(t)});
            spine.append(user).append(',').append(Timestamps.format(t)).append('\n');
        }
        List<String> features = List.of("activity:last_amount", "activity:amount_200d", "activity:avg_200d",
            "activity:n_200d", "activity:max_7d", "activity:clicks_200d");
        Harness.Response created = h.send("POST", "/v1/training-sets?name=summaries&features=" + String.join(",", features),
            "text/csv", spine.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
            .until(() -> !h.get("/v1/training-sets/" + id).json().get("status").asText().matches("QUEUED|RUNNING"));
        String[] lines = h.get("/v1/training-sets/" + id + "/data?format=csv").body().split("\n");
        assertThat(lines).hasSize(rows.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            String[] got = lines[i + 1].split(",", -1);
            String body = lookup(rows.get(i)[1]);
            int entity = rows.get(i)[0].equals("U1") ? 0 : 1;
            for (int f = 0; f < features.size(); f++) {
                JsonNode v = value(body, "activity__" + features.get(f).substring("activity:".length()), entity);
                String what = "row " + (i + 1) + " " + features.get(f) + " of " + rows.get(i)[0] + " at " + rows.get(i)[1];
                String cell = got[2 + f];
                if (v.isNull()) {
                    assertThat(cell).as(what).isEmpty();
                } else if (v.isFloatingPointNumber()) {
                    assertThat(Double.parseDouble(cell)).as(what).isEqualTo(v.asDouble());
                } else {
                    assertThat(cell).as(what).isEqualTo(v.asText());
                }
            }
        }
    }

    @Test
    void anAsOfBeforeTheRetentionIsRefusedNamingTheFieldAndTheRule() {
        for (String endpoint : List.of("/v1/features/online", "/get-online-features")) {
            Harness.Response r = h.postJson(endpoint, "{\"features\":[\"activity:last_amount\"],"
                + "\"entities\":{\"user_id\":[\"U1\"]},\"as_of\":\"2026-01-29T23:59:59.999Z\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            JsonNode p = r.json();
            assertThat(p.get("field").asText()).isEqualTo("as_of");
            assertThat(p.get("rule").asText()).isEqualTo("retention");
            assertThat(p.get("detail").asText()).contains("clicks").contains("30d").contains("2026-01-30T00:00:00.000Z");
        }
    }
}
