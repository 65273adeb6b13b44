package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training sets end to end: a spine uploaded as CSV, joined where the data is, downloadable and readable over
 * JDBC; every value equals what an online as-of lookup at the row's time answers.
 */
class TrainingIT {
    static final long DAY = 86_400_000L;
    static final long T0 = Timestamps.parse("2026-01-01T00:00:00Z");
    static final List<String> FEATURES = List.of("customer_orders:last_amount", "customer_orders:last_channel",
        "customer_orders:purchase_frequency_30d", "customer_orders:average_order_value_30d", "customer_orders:spend_7d",
        "customer_orders:max_order_1d", "customer_profile:tier", "customer_profile:tenure_days");

    @TempDir
    static Path dir;
    static Harness h;
    static List<long[]> eventTimes = new ArrayList<>();

    @BeforeAll
    static void start() {
        h = new Harness(dir.resolve("node"), T0 + 120 * DAY, 1L << 30).start();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        Random rnd = new Random(7);
        StringBuilder orders = new StringBuilder();
        StringBuilder profiles = new StringBuilder();
        String[] channels = {"web", "app", "store"};
        for (int i = 0; i < 3000; i++) {
            int c = rnd.nextInt(40);
            long ts = T0 + (rnd.nextInt(90 * 24) * 3_600_000L); // hour grid: many equal times
            eventTimes.add(new long[] {c, ts});
            orders.append("{\"customer_id\":\"C").append(c).append("\",\"order_id\":\"o").append(i).append("\",\"amount\":")
                .append(rnd.nextInt(20_000) / 100.0).append(",\"channel\":")
                .append(rnd.nextInt(10) == 0 ? "null" : "\"" + channels[rnd.nextInt(3)] + "\"")
                .append(",\"event_ts\":").append(ts)
                .append(rnd.nextBoolean() ? ",\"created_ts\":" + (ts + rnd.nextInt(3)) : "").append("}\n");
        }
        for (int i = 0; i < 200; i++) {
            profiles.append("{\"customer_id\":\"C").append(rnd.nextInt(40)).append("\",\"tier\":\"")
                .append(new String[] {"bronze", "silver", "gold"}[rnd.nextInt(3)]).append("\",\"tenure_days\":")
                .append(rnd.nextInt(900)).append(",\"updated_at\":").append(T0 - 200 * DAY + rnd.nextInt(300) * DAY).append("}\n");
        }
        assertThat(h.ndjson("orders", orders.toString()).json().get("rejected").asLong()).isZero();
        assertThat(h.ndjson("profiles", profiles.toString()).json().get("rejected").asLong()).isZero();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static JsonNode waitFor(String id) {
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(100))
            .until(() -> !h.get("/v1/training-sets/" + id).json().get("status").asText().matches("QUEUED|RUNNING"));
        return h.get("/v1/training-sets/" + id).json();
    }

    @Test
    void everyTrainingValueEqualsTheOnlineAsOfValueAtTheRowsTime() throws Exception {
        Random rnd = new Random(11);
        StringBuilder spine = new StringBuilder("customer_id,event_ts,label\n");
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String c;
            long t;
            int kind = rnd.nextInt(4);
            if (kind == 0) { // exactly at an event, or exactly ttl / a window later
                long[] e = eventTimes.get(rnd.nextInt(eventTimes.size()));
                c = "C" + e[0];
                long[] shifts = {0, 30 * DAY, 7 * DAY, DAY, -1};
                t = e[1] + shifts[rnd.nextInt(shifts.length)];
            } else if (kind == 1) {
                c = "NOBODY" + rnd.nextInt(3);
                t = T0 + rnd.nextInt(100) * DAY;
            } else {
                c = "C" + rnd.nextInt(40);
                t = T0 - 5 * DAY + (long) (rnd.nextDouble() * 130 * DAY);
            }
            String[] r = {c, Timestamps.format(t), String.valueOf(rnd.nextInt(2))};
            rows.add(r);
            spine.append(String.join(",", r)).append('\n');
            if (rnd.nextInt(10) == 0) { // duplicates are kept
                rows.add(r);
                spine.append(String.join(",", r)).append('\n');
            }
        }
        Harness.Response created = h.send("POST", "/v1/training-sets?name=duel&features=" + String.join(",", FEATURES),
            "text/csv", spine.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        JsonNode job = waitFor(created.json().get("id").asText());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("rows").asLong()).isEqualTo(rows.size());
        assertThat(job.get("table").asText()).isEqualTo("TRAINING.DUEL");

        Harness.Response csv = h.get("/v1/training-sets/" + job.get("id").asText() + "/data?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        String[] lines = csv.body().split("\n");
        List<String> header = List.of(lines[0].split(",", -1));
        assertThat(header.subList(0, 3)).containsExactly("customer_id", "event_ts", "label");
        assertThat(lines).hasSize(rows.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            String[] got = lines[i + 1].split(",", -1);
            String[] want = rows.get(i);
            assertThat(got[0]).isEqualTo(want[0]);
            assertThat(Timestamps.parse(got[1])).isEqualTo(Timestamps.parse(want[1]));
            assertThat(got[2]).isEqualTo(want[2]);
            JsonNode online = h.postJson("/v1/features/online", "{\"features\":[\"" + String.join("\",\"", FEATURES)
                + "\"],\"entities\":{\"customer_id\":[\"" + want[0] + "\"]},\"as_of\":\"" + want[1] + "\"}").json();
            for (int f = 0; f < FEATURES.size(); f++) {
                JsonNode v = online.get("results").get(f + 1).get("values").get(0);
                String cell = got[3 + f];
                String what = "row " + (i + 1) + " " + FEATURES.get(f) + " at " + want[1] + " of " + want[0];
                if (v.isNull()) {
                    assertThat(cell).as(what).isEmpty();
                } else if (v.isNumber() && v.isFloatingPointNumber()) {
                    assertThat(Double.parseDouble(cell)).as(what).isEqualTo(v.asDouble());
                } else {
                    assertThat(cell).as(what).isEqualTo(v.asText());
                }
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + h.clientPort());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COUNT(customer_orders__last_amount) "
                 + "FROM training.duel")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows.size());
            assertThat(rs.getLong(2)).isEqualTo(job.get("features").get("customer_orders__last_amount").get("present").asLong());
        }
    }

    @Test
    void aSpineThatCannotBeJoinedIsRefusedBeforeAnyWorkNamingColumnAndRow() {
        String f = "features=customer_orders:last_amount";
        Harness.Response noTs = h.send("POST", "/v1/training-sets?name=bad1&" + f, "text/csv", "customer_id,ts\nC1,2026-01-01\n");
        assertThat(noTs.status()).isEqualTo(400);
        assertThat(noTs.json().get("code").asText()).isEqualTo("HEARTH-TRAIN-1");
        assertThat(noTs.json().get("field").asText()).isEqualTo("event_ts");
        assertThat(noTs.json().get("rule").asText()).isEqualTo("spine.timestamp_column");

        Harness.Response noKey = h.send("POST", "/v1/training-sets?name=bad2&" + f, "text/csv", "id,event_ts\nC1,2026-01-01\n");
        assertThat(noKey.json().get("field").asText()).isEqualTo("customer_id");
        assertThat(noKey.json().get("rule").asText()).isEqualTo("spine.join_key");

        Harness.Response badTime = h.send("POST", "/v1/training-sets?name=bad3&" + f, "text/csv",
            "customer_id,event_ts\nC1,2026-01-01\nC2,yesterday\n");
        assertThat(badTime.json().get("rule").asText()).isEqualTo("spine.timestamp");
        assertThat(badTime.json().get("detail").asText()).contains("row 2").contains("yesterday");

        Harness.Response unknown = h.send("POST", "/v1/training-sets?name=bad4&features=customer_orders:nope", "text/csv",
            "customer_id,event_ts\nC1,2026-01-01\n");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("rule").asText()).isEqualTo("ref.feature");

        Harness.Response badName = h.send("POST", "/v1/training-sets?name=no-dash&" + f, "text/csv",
            "customer_id,event_ts\nC1,2026-01-01\n");
        assertThat(badName.json().get("field").asText()).isEqualTo("name");

        Harness.Response brokenCsv = h.send("POST", "/v1/training-sets?name=bad5&" + f, "text/csv",
            "customer_id,event_ts\n\"C1,2026-01-01\n");
        assertThat(brokenCsv.status()).as(brokenCsv.body()).isEqualTo(400);
        assertThat(brokenCsv.json().get("rule").asText()).isEqualTo("csv.syntax");

        Harness.Response json = h.postJson("/v1/training-sets", "{\"name\":\"x\",\"features\":[\"customer_orders:last_amount\"]}");
        assertThat(json.json().get("field").asText()).isEqualTo("spine_table");
        assertThat(h.get("/v1/training-sets/nope").status()).isEqualTo(404);
        for (String name : List.of("bad1", "bad2", "bad3", "bad4")) {
            assertThat(h.node.ignite().cacheNames()).as("no table left behind").doesNotContain("training_" + name);
        }
    }

    @Test
    void aSpineInASqlTableCanBeJoinedByName() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + h.clientPort())) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS spine_t (id INT PRIMARY KEY, customer_id VARCHAR, "
                + "event_ts TIMESTAMP, label INT) WITH \"template=replicated\"");
            c.createStatement().execute("INSERT INTO spine_t VALUES (1, 'C1', '2026-02-01 00:00:00', 1), "
                + "(2, 'C2', '2026-02-02 00:00:00', 0)");
        }
        Harness.Response r = h.postJson("/v1/training-sets", "{\"name\":\"from_sql\",\"feature_service\":\"churn_model_v1\","
            + "\"spine_table\":\"PUBLIC.SPINE_T\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode job = waitFor(r.json().get("id").asText());
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("rows").asLong()).isEqualTo(2);
        assertThat(job.get("columns").toString()).contains("customer_profile__tier");
        Harness.Response again = h.postJson("/v1/training-sets", "{\"name\":\"FROM_SQL\",\"feature_service\":"
            + "\"churn_model_v1\",\"spine_table\":\"PUBLIC.SPINE_T\"}");
        assertThat(again.status()).as("names are case-insensitive, like SQL tables").isEqualTo(409);
        assertThat(again.json().get("rule").asText()).isEqualTo("name.exists");
        Harness.Response parquet = h.get("/v1/training-sets/" + job.get("id").asText() + "/data?format=parquet");
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.body()).startsWith("PAR1");

        Harness.Response fileOnly = h.postJson("/v1/training-sets", "{\"name\":\"file_only\",\"feature_service\":"
            + "\"churn_model_v1\",\"spine_table\":\"PUBLIC.SPINE_T\",\"file\":\"csv\"}");
        JsonNode f = waitFor(fileOnly.json().get("id").asText());
        assertThat(f.get("status").asText()).as(f.toString()).isEqualTo("SUCCEEDED");
        assertThat(f.has("table")).as("a file-only set has no table").isFalse();
        assertThat(h.node.ignite().cacheNames()).doesNotContain("training_file_only");
        Harness.Response fileCsv = h.get("/v1/training-sets/" + f.get("id").asText() + "/data?format=csv");
        Harness.Response tableCsv = h.get("/v1/training-sets/" + job.get("id").asText() + "/data?format=csv");
        assertThat(fileCsv.body()).as("the same rows as the table's").isEqualTo(tableCsv.body());
        assertThat(h.get("/v1/training-sets/" + f.get("id").asText() + "/data?format=parquet").status()).isEqualTo(409);
    }
}
