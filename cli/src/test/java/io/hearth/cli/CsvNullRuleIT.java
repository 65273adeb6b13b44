package io.hearth.cli;

import io.hearth.testing.Seeds;
import io.hearth.gateway.Harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.cli.HearthCli;
import io.hearth.formats.Csv;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CSV null rule on every path: the same profiles sent as a CSV file through {@code hearth ingest}, as a
 * {@code text/csv} body, and as NDJSON with JSON nulls give the same online values and the same training rows; an
 * unquoted empty cell is null, a quoted {@code ""} is the empty string; spine cells come back byte for byte.
 */
class CsvNullRuleIT {
    static final String DEFS = """
        project: nulls
        entities: [{name: customer, join_keys: [customer_id]}]
        sources:
        %s
        feature_views:
        %s
        """;
    static final String SOURCE = """
          - name: p_%1$s
            entity: customer
            timestamp_field: updated_at
            schema: {customer_id: string, tier: string, tenure_days: int, score: double, updated_at: timestamp}
            contract: {tier: {allowed: [bronze, silver, gold]}, tenure_days: {min: 0}}
            quarantine_threshold: 1.0
        """;
    static final String VIEW = """
          - name: v_%1$s
            entity: customer
            source: p_%1$s
            ttl: 3650d
            features:
              - {name: tier, column: tier}
              - {name: tenure_days, column: tenure_days}
              - {name: score, column: score}
        """;
    static final String[] PATHS = {"file", "http", "json"};

    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(dir.resolve("node"), System.currentTimeMillis(), 1L << 30).start();
        StringBuilder sources = new StringBuilder();
        StringBuilder views = new StringBuilder();
        for (String p : PATHS) {
            sources.append(SOURCE.formatted(p));
            views.append(VIEW.formatted(p));
        }
        Harness.Response r = h.applyYaml(DEFS.formatted(sources, views));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aDatabaseExportWithEmptyCellsMeansWhatJsonNullsMeanOnEveryPath() throws Exception {
        long seed = Seeds.seed("CsvNullRuleIT");
        SplittableRandom rnd = new SplittableRandom(seed);
        long t0 = Timestamps.parse("2026-11-01T00:00:00Z");
        String[] tiers = {"bronze", "silver", "gold"};
        StringBuilder csv = new StringBuilder("customer_id,tier,tenure_days,score,updated_at\n");
        StringBuilder ndjson = new StringBuilder();
        int emptyStrings = 0;
        for (int i = 0; i < 300; i++) {
            String id = "c" + rnd.nextInt(40);
            long ts = t0 + rnd.nextLong(30L * 86_400_000L);
            int kind = rnd.nextInt(10);
            String tier = kind < 2 ? null : kind == 2 ? "" : tiers[rnd.nextInt(3)]; // null, "" (refused), or a tier
            if (tier != null && tier.isEmpty()) {
                emptyStrings++;
            }
            Long tenure = rnd.nextInt(5) == 0 ? null : (long) rnd.nextInt(1000);
            Double score = rnd.nextInt(5) == 0 ? null : rnd.nextInt(10_000) / 100.0;
            StringWriter row = new StringWriter();
            Csv.cell(row, id);
            row.write(',');
            Csv.cell(row, tier);
            row.write(',');
            row.write(tenure == null ? "" : tenure.toString());
            row.write(',');
            row.write(score == null ? "" : score.toString());
            row.write(',');
            row.write(Timestamps.format(ts));
            csv.append(row).append('\n');
            ndjson.append(Harness.JSON.writeValueAsString(java.util.Map.of("customer_id", id, "updated_at", ts)).replace("}",
                ",\"tier\":" + Harness.JSON.writeValueAsString(tier) + ",\"tenure_days\":" + tenure + ",\"score\":" + score
                    + "}")).append('\n');
        }
        String url = "http://127.0.0.1:" + h.gateway.port();
        Path file = dir.resolve("profiles.csv");
        Files.writeString(file, csv);
        int code = new CommandLine(new HearthCli()).execute("ingest", "--source", "p_file", file.toString(), "--url", url,
            "--batch", "37");
        assertThat(code).as("some rows rejected is not a failed run").isZero();
        Harness.Response http = h.send("POST", "/v1/ingest/p_http", "text/csv", csv.toString());
        assertThat(http.status()).as(http.body()).isEqualTo(200);
        Harness.Response json = h.ndjson("p_json", ndjson.toString());
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(http.json().get("rejected").asLong()).as("seed %d: only the quoted empty tiers are refused", seed)
            .isEqualTo(emptyStrings).isEqualTo(json.json().get("rejected").asLong());
        for (JsonNode rej : http.json().get("rejections")) {
            assertThat(rej.get("rule").asText()).isEqualTo("contract.allowed");
        }
        for (String p : PATHS) {
            assertThat(h.get("/v1/quarantine?source=p_" + p).json().get("count").asLong()).as("%s, seed %d", p, seed)
                .isEqualTo(emptyStrings);
        }

        // Online: every entity answers the same on the three paths.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("\"c" + i + "\"");
        }
        List<JsonNode> answers = new ArrayList<>();
        for (String p : PATHS) {
            JsonNode a = h.postJson("/v1/features/online", "{\"features\":[\"v_" + p + ":tier\",\"v_" + p + ":tenure_days\",\"v_"
                + p + ":score\"],\"entities\":{\"customer_id\":" + ids + "}}").json();
            answers.add(a.get("results"));
        }
        assertThat(answers.get(0)).as("seed %d: file vs NDJSON", seed).isEqualTo(answers.get(2));
        assertThat(answers.get(1)).as("seed %d: text/csv vs NDJSON", seed).isEqualTo(answers.get(2));
        assertThat(answers.get(2).get(1).get("statuses").toString()).as("some tiers are null values")
            .contains("NULL_VALUE");

        // Training: the spine has empty and quoted-empty pass-through cells and times without milliseconds.
        StringBuilder spine = new StringBuilder("customer_id,updated_at,note,label\n");
        for (int i = 0; i < 60; i++) {
            String ts = Timestamps.format(t0 + rnd.nextLong(40L * 86_400L) * 1000).replace(".000Z", "Z"); // as a user writes
            String note = switch (i % 3) {
                case 0 -> "";
                case 1 -> "\"\"";
                default -> "\"a, b\"";
            };
            spine.append("c").append(rnd.nextInt(40)).append(',').append(ts).append(',').append(note).append(',')
                .append(i % 2).append('\n');
        }
        Path spineFile = dir.resolve("spine.csv");
        Files.writeString(spineFile, spine);
        List<List<String>> sets = new ArrayList<>();
        for (String p : PATHS) {
            Path out = dir.resolve("train_" + p + ".csv");
            int rc = new CommandLine(new HearthCli()).execute("extract", "--spine", spineFile.toString(), "--features",
                "v_" + p + ":tier,v_" + p + ":tenure_days,v_" + p + ":score", "--timestamp-column", "updated_at",
                "--out", out.toString(), "--url", url);
            assertThat(rc).isZero();
            List<String> lines = Files.readAllLines(out);
            List<String> features = new ArrayList<>();
            List<String> spineCells = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                int cut = nthComma(line, 4);
                spineCells.add(line.substring(0, cut));
                features.add(line.substring(cut));
            }
            assertThat(spineCells).as("spine cells byte for byte").isEqualTo(spine.toString().lines().skip(1).toList());
            sets.add(features);
        }
        assertThat(sets.get(0)).as("seed %d: training rows, file vs NDJSON", seed).isEqualTo(sets.get(2));
        assertThat(sets.get(1)).as("seed %d: training rows, text/csv vs NDJSON", seed).isEqualTo(sets.get(2));

        Path table = dir.resolve("train_table.csv");
        assertThat(new CommandLine(new HearthCli()).execute("extract", "--spine", spineFile.toString(), "--features",
            "v_json:tier", "--timestamp-column", "updated_at", "--out", table.toString(), "--table", "--url", url)).isZero();
        assertThat(Files.readAllLines(table).stream().skip(1).map(l -> l.substring(0, nthComma(l, 4))).toList())
            .as("a table's CSV download passes the spine through too")
            .isEqualTo(spine.toString().lines().skip(1).toList());
    }

    /** Index of the n-th separating comma of a CSV line (commas inside quotes do not count). */
    private static int nthComma(String line, int n) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted && --n == 0) {
                return i;
            }
        }
        return line.length();
    }
}
