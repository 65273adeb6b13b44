package io.hearth.cli;

import io.hearth.gateway.Harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.cli.HearthCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a running gateway: plan, apply, ingest CSV, NDJSON and Parquet files, extract. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class CliIT {
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(dir.resolve("node"), System.currentTimeMillis(), 1L << 30).start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = HearthCli.commandLine().execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void backfillOfParquetAndDirectoriesStoresEachRowOnceHoweverOftenItIsRun() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        Path files = dir.resolve("backfill");
        Files.createDirectories(files.resolve("more"));
        // profiles has no id field: only the file's content and the row's place make a re-run harmless.
        try (var out = new io.hearth.formats.ParquetOut(files.resolve("a.parquet"),
            java.util.List.of("customer_id", "tier", "tenure_days", "updated_at"),
            java.util.List.of(io.hearth.catalog.ColumnType.STRING, io.hearth.catalog.ColumnType.STRING,
                io.hearth.catalog.ColumnType.LONG, io.hearth.catalog.ColumnType.TIMESTAMP))) {
            for (int i = 0; i < 25; i++) {
                out.write(new Object[] {"P" + (i % 5), i % 7 == 0 ? "platinum" : "gold", (long) i, 1_767_225_600_000L + i});
            }
        }
        Files.writeString(files.resolve("more/b.csv"), "customer_id,tier,tenure_days,updated_at\n"
            + "P1,silver,3,2026-01-02T00:00:00Z\nP2,bronze,-1,2026-01-02T00:00:00Z\n");
        Files.writeString(files.resolve("notes.txt"), "not data");

        Run first = run("ingest", "--source", "profiles", files.toString(), "--url", url, "--batch", "4");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("22 new, 0 already stored, 5 rejected, from 2 files");
        assertThat(first.err()).contains("a.parquet row 1: 'tier' is \"platinum\"").contains("[contract.allowed]")
            .contains("b.csv row 2: 'tenure_days' is -1").contains("[contract.min]");
        long quarantined = h.get("/v1/quarantine?source=profiles").json().get("count").asLong();
        Run again = run("ingest", "--source", "profiles", files.toString(), "--url", url, "--batch", "7");
        assertThat(again.code()).as(again.err()).isZero();
        int stored = 0;
        for (int i = 0; i < 5; i++) {
            stored += h.get("/v1/sources/profiles/events?entity=P" + i).json().get("events").size();
        }
        assertThat(stored).as("a re-run (even in other batch sizes) stores nothing twice").isEqualTo(22);
        assertThat(h.get("/v1/quarantine?source=profiles").json().get("count").asLong())
            .as("nor quarantines anything twice").isEqualTo(quarantined);

        Run unknown = run("ingest", "--source", "profiles", files.resolve("notes.txt").toString(), "--url", url);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown format");
        Run missing = run("ingest", "--source", "profiles", files.resolve("nope").toString(), "--url", url);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file or directory");
    }

    @Test
    @org.junit.jupiter.api.Order(1) // plans against an empty registry
    void planApplyAndIngestFilesThroughTheCli() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        Path defs = dir.resolve("defs");
        Files.createDirectories(defs);
        Files.writeString(defs.resolve("shop.yaml"), Harness.DEMO_YAML);

        Run plan = run("plan", defs.toString(), "--url", url);
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("+ source orders").contains("+ model churn_v1")
            .contains("Plan: 7 to add, 0 to change, 0 to remove (0 breaking).");

        Run apply = run("apply", defs.resolve("shop.yaml").toString(), "--url", url);
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("Applied: registry version 1");
        assertThat(run("apply", defs.toString(), "--url", url).out()).contains("Registry unchanged at version 1");

        Files.writeString(defs.resolve("broken.yaml"), "feature_views:\n  - name: v\n    entity: nobody\n    source: orders\n"
            + "    features: [{name: f, column: amount}]\n");
        Run broken = run("apply", defs.toString(), "--url", url);
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).contains("broken.yaml:3").contains("unknown entity 'nobody'").contains("[ref.entity]");

        Path csv = dir.resolve("orders.csv");
        Files.writeString(csv, "customer_id,order_id,amount,channel,event_ts,created_ts\n"
            + "K1,k1,12.5,web,2026-01-01T00:00:00Z,\n"
            + "K1,k2,abc,web,2026-01-02T00:00:00Z,\n"
            + "K2,k3,3,store,1767225600000,2026-01-01T00:00:01Z\n");
        Run ingest = run("ingest", "--source", "orders", csv.toString(), "--url", url, "--batch", "2");
        assertThat(ingest.code()).as(ingest.err()).isZero();
        assertThat(ingest.out()).contains("2 new, 0 already stored, 1 rejected");
        assertThat(ingest.err()).contains("orders.csv row 2: field 'amount': expected double, got \"abc\" [schema.type]");

        Path nd = dir.resolve("profiles.ndjson");
        Files.writeString(nd, "{\"customer_id\":\"K1\",\"tier\":\"gold\",\"tenure_days\":3,\"updated_at\":\"2026-01-01T00:00:00Z\"}\n");
        assertThat(run("ingest", "--source", "profiles", nd.toString(), "--url", url).out()).contains("1 new, 0 already stored, 0 rejected");
        assertThat(h.get("/v1/sources/orders/events?entity=K1").json().get("events")).hasSize(1);

        Path spine = dir.resolve("spine.csv");
        Files.writeString(spine, "customer_id,event_ts,label\nK1,2026-01-01T12:00:00Z,1\nK2,2026-01-01T12:00:00Z,0\n"
            + "K1,2025-12-01T00:00:00Z,1\n");
        Path trainCsv = dir.resolve("train.csv");
        Run extract = run("extract", "--spine", spine.toString(), "--features",
            "customer_orders:last_amount,customer_orders:purchase_frequency_30d", "--out", trainCsv.toString(), "--table",
            "--url", url);
        assertThat(extract.code()).as(extract.err()).isZero();
        assertThat(extract.out()).contains("train: 3 rows, 5 columns").contains("SELECT * FROM TRAINING.TRAIN")
            .contains("customer_orders__last_amount").contains("2 present, 1 null: 0 outside ttl, 1 not found");
        assertThat(Files.readAllLines(trainCsv)).containsExactly(
            "customer_id,event_ts,label,customer_orders__last_amount,customer_orders__purchase_frequency_30d",
            "K1,2026-01-01T12:00:00Z,1,12.5,1",
            "K2,2026-01-01T12:00:00Z,0,3.0,1",
            "K1,2025-12-01T00:00:00Z,1,,0");
        Run validated = run("extract", "--spine", spine.toString(), "--features",
            "customer_orders:last_amount,customer_orders:purchase_frequency_30d", "--out",
            dir.resolve("validated.csv").toString(), "--validate", "--url", url);
        assertThat(validated.code()).as(validated.err()).isZero();
        assertThat(validated.out()).contains("validation: 1 expectations judged, 0 failed (0 blocking)")
            .contains("customer_orders:last_amount").contains("not_null");
        Path fileOnly = dir.resolve("file_only.csv");
        Run noTable = run("extract", "--spine", spine.toString(), "--features",
            "customer_orders:last_amount,customer_orders:purchase_frequency_30d", "--out", fileOnly.toString(), "--url", url);
        assertThat(noTable.code()).as(noTable.err()).isZero();
        assertThat(noTable.out()).contains("file_only: 3 rows, 5 columns").doesNotContain("SQL");
        assertThat(Files.readAllLines(fileOnly)).as("a file-only extract holds the same rows")
            .isEqualTo(Files.readAllLines(trainCsv));
        assertThat(h.node.ignite().cacheNames()).doesNotContain("training_file_only");
        Path trainParquet = dir.resolve("train.parquet");
        Run parquet = run("extract", "--spine", spine.toString(), "--service", "churn_model_v1", "--out",
            trainParquet.toString(), "--url", url);
        assertThat(parquet.code()).as(parquet.err()).isZero();
        try (var in = new io.hearth.formats.ParquetIn(trainParquet)) {
            assertThat(in.columnNames()).startsWith("customer_id", "event_ts", "label");
            int n = 0;
            while (in.hasNext()) {
                in.next();
                n++;
            }
            assertThat(n).isEqualTo(3);
        }
        Path fileParquet = dir.resolve("file_only.parquet");
        Run parquetOnly = run("extract", "--spine", spine.toString(), "--features",
            "customer_orders:last_amount,customer_orders:purchase_frequency_30d", "--out", fileParquet.toString(), "--url", url);
        assertThat(parquetOnly.code()).as(parquetOnly.err()).isZero();
        java.util.List<java.util.Map<String, Object>> pq = new java.util.ArrayList<>();
        try (var in = new io.hearth.formats.ParquetIn(fileParquet)) {
            in.forEachRemaining(pq::add);
        }
        java.util.Map<String, Object> third = new java.util.LinkedHashMap<>();
        third.put("customer_id", "K1");
        third.put("event_ts", 1_764_547_200_000L);
        third.put("label", 1L);
        third.put("customer_orders__last_amount", null);
        third.put("customer_orders__purchase_frequency_30d", 0L);
        assertThat(pq).as("the same rows as the CSV, spine columns passed through, in spine order").containsExactly(
            java.util.Map.of("customer_id", "K1", "event_ts", 1_767_268_800_000L, "label", 1L,
                "customer_orders__last_amount", 12.5, "customer_orders__purchase_frequency_30d", 1L),
            java.util.Map.of("customer_id", "K2", "event_ts", 1_767_268_800_000L, "label", 0L,
                "customer_orders__last_amount", 3.0, "customer_orders__purchase_frequency_30d", 1L),
            third);
        Path bad = dir.resolve("bad-spine.csv");
        Files.writeString(bad, "customer_id,event_ts\nK1,2026-01-01\nK2,someday\n");
        Run badSpine = run("extract", "--spine", bad.toString(), "--features", "customer_orders:last_amount", "--out",
            dir.resolve("bad.csv").toString(), "--url", url);
        assertThat(badSpine.code()).isEqualTo(1);
        assertThat(badSpine.err()).startsWith("hearth extract: row 2: 'someday'");

        Run unreachable = run("plan", defs.resolve("shop.yaml").toString(), "--url", "http://127.0.0.1:1");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach Hearth");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void mistakesAreOneLineWithTheFixAndANonZeroExit() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        Path csv = dir.resolve("mistakes.csv");
        Files.writeString(csv, "customer_id,tier,tenure_days,updated_at\nM1,gold,1,2026-01-01T00:00:00Z\n");

        Run typo = run("ingest", "--sorce", "profiles", csv.toString(), "--url", url);
        assertThat(typo.code()).isEqualTo(2);
        assertThat(typo.err().strip()).isEqualTo("hearth ingest: unknown option '--sorce'; did you mean '--source'? "
            + "(see ./hearth help ingest)");

        Run source = run("ingest", "--source", "profile", csv.toString(), "--url", url);
        assertThat(source.code()).isEqualTo(1);
        assertThat(source.err().strip()).isEqualTo("hearth ingest: unknown source 'profile'; did you mean 'profiles'?");

        Path nowhere = dir.resolve("no/such/dir/out.csv");
        Run out = run("extract", "--spine", csv.toString(), "--features", "customer_profile:tier", "--out", nowhere.toString(),
            "--url", url);
        assertThat(out.code()).isEqualTo(1);
        assertThat(out.err().strip()).startsWith("hearth extract: cannot write --out").contains("does not exist")
            .doesNotContain("\n");

        Run feature = run("extract", "--spine", csv.toString(), "--features", "customer_profile:tire", "--out",
            dir.resolve("f.csv").toString(), "--url", url);
        assertThat(feature.code()).isEqualTo(1);
        assertThat(feature.err().strip()).isEqualTo("hearth extract: unknown feature 'customer_profile:tire'; did you mean "
            + "'customer_profile:tier'?");

        Run ts = run("extract", "--spine", csv.toString(), "--features", "customer_profile:tier", "--out",
            dir.resolve("f.csv").toString(), "--url", url);
        assertThat(ts.code()).isEqualTo(1);
        assertThat(ts.err()).contains("--timestamp-column").doesNotContain("timestamp_column");

        Run object = run("registry", "--object", "custmer_profile", "--url", url);
        assertThat(object.code()).isEqualTo(1);
        assertThat(object.err().strip()).endsWith("did you mean 'customer_profile'?");
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void ingestSaysWhatWasNewWhatWasAlreadyStoredAndWhatWasRejected() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        Path csv = dir.resolve("honest.csv");
        Files.writeString(csv, "customer_id,tier,tenure_days,updated_at\nH1,gold,1,2026-01-01T00:00:00Z\n"
            + "H2,diamond,1,2026-01-01T00:00:00Z\nH3,,2,2026-01-01T00:00:00Z\n");
        Run first = run("ingest", "--source", "profiles", csv.toString(), "--url", url);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("2 new, 0 already stored, 1 rejected, from 1 file")
            .contains("./hearth quarantine --source profiles");
        long quarantined = h.get("/v1/quarantine?source=profiles").json().get("count").asLong();

        // other tests of this class back-fill profiles too, in an order JUnit chooses: this command's run is the one of
        // its file
        com.fasterxml.jackson.databind.JsonNode run = null;
        for (com.fasterxml.jackson.databind.JsonNode b : h.get("/v1/catalog/source/profiles").json().get("backfills")) {
            if (b.at("/files/0/name").asText().equals("honest.csv")) {
                run = b;
            }
        }
        assertThat(run).as("the back-fill run of honest.csv").isNotNull();
        var backfills = java.util.List.of(run);
        assertThat(backfills.get(0).get("status").asText()).as("the command is one back-fill run").isEqualTo("COMPLETE");
        assertThat(backfills.get(0).get("stored").asLong()).isEqualTo(2);
        assertThat(backfills.get(0).get("rejected").asLong()).isEqualTo(1);
        assertThat(backfills.get(0).at("/files/0/name").asText()).isEqualTo("honest.csv");
        assertThat(backfills.get(0).at("/files/0/rows").asLong()).isEqualTo(3);
        assertThat(backfills.get(0).at("/files/0/hash").asText()).startsWith("file:");
        assertThat(h.get("/v1/lineage/file/honest.csv?direction=downstream&depth=1").json().at("/edges/0/to").asText())
            .isEqualTo("source:profiles");

        Run again = run("ingest", "--source", "profiles", csv.toString(), "--url", url);
        assertThat(again.code()).isZero();
        assertThat(again.out()).startsWith("0 new, 2 already stored, 1 rejected");
        assertThat(h.get("/v1/quarantine?source=profiles").json().get("count").asLong())
            .as("the same bad row is not quarantined twice").isEqualTo(quarantined);

        assertThat(run("ingest", "--source", "profiles", csv.toString(), "--url", url, "--fail-on-reject").code())
            .isEqualTo(3);
        Path clean = dir.resolve("clean.csv");
        Files.writeString(clean, "customer_id,tier,tenure_days,updated_at\nH4,gold,1,2026-01-01T00:00:00Z\n");
        Run ok = run("ingest", "--source", "profiles", clean.toString(), "--url", url, "--fail-on-reject");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).doesNotContain("quarantine");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "customer_id,tier,tenure_days,updated_at\nH5,diamond,1,2026-01-01T00:00:00Z\n");
        Run allBad = run("ingest", "--source", "profiles", bad.toString(), "--url", url);
        assertThat(allBad.code()).as("every row rejected is a failed run").isEqualTo(3);
        assertThat(allBad.err()).contains("every row was rejected");

        // Over HTTP: a resent bad record with an id is quarantined once; the response counts new and already stored.
        String order = "{\"customer_id\":\"H1\",\"order_id\":\"HX-1\",\"amount\":-1,\"channel\":\"web\","
            + "\"event_ts\":\"2026-01-01T00:00:00Z\"}\n";
        long before = h.get("/v1/quarantine?source=orders").json().get("count").asLong();
        h.ndjson("orders", order);
        h.ndjson("orders", order);
        assertThat(h.get("/v1/quarantine?source=orders").json().get("count").asLong()).isEqualTo(before + 1);
        String keyed = "/v1/ingest/profiles?idempotency_key=k-honest&first_index=0";
        String row = "{\"customer_id\":\"H9\",\"tier\":\"gold\",\"updated_at\":\"2026-01-01T00:00:00Z\"}\n";
        assertThat(h.send("POST", keyed, "application/x-ndjson", row).json().get("new").asLong()).isEqualTo(1);
        JsonNode resent = h.send("POST", keyed, "application/x-ndjson", row).json();
        assertThat(resent.get("new").asLong()).isZero();
        assertThat(resent.get("already_stored").asLong()).isEqualTo(1);
        assertThat(resent.get("accepted").asLong()).isEqualTo(1);
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void aBreakingChangeAModelUsesIsRefusedInOneLineUntilForced() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        long before = h.get("/v1/registry").json().get("version").asLong();
        Path shorter = dir.resolve("shorter-ttl.yaml");
        Files.writeString(shorter, Harness.DEMO_YAML.replace("ttl: 30d", "ttl: 14d"));

        Run plan = run("plan", shorter.toString(), "--url", url);
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("~ feature_view customer_orders   [BREAKING]")
            .contains("> downstream: 7 features").contains("1 model (churn_v1)")
            .contains("breaking changes reach models in use: model churn_v1 uses feature service churn_model_v1");

        Run refused = run("apply", shorter.toString(), "--url", url);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).isEqualTo("hearth apply: refused: breaking changes reach models in use: model "
            + "churn_v1 uses feature service churn_model_v1, reached by feature_view customer_orders: ttl changed: served "
            + "and training values change (see ./hearth plan; --force applies it anyway)");
        assertThat(h.get("/v1/registry").json().get("version").asLong()).isEqualTo(before);

        Run forced = run("apply", shorter.toString(), "--force", "--url", url);
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Applied: registry version " + (before + 1));
        assertThat(h.send("PUT", "/v1/registry?force=true", "application/yaml", Harness.DEMO_YAML).status()).isEqualTo(200);
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void commandsToLookInside() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        Run reg = run("registry", "--url", url);
        assertThat(reg.code()).as(reg.err()).isZero();
        assertThat(reg.out()).contains("Registry version").contains("orders").contains("churn_model_v1")
            .contains("customer_orders: ").contains("models (1)").contains("version 1, service churn_model_v1");
        assertThat(run("registry", "--object", "churn_v1", "--url", url).out()).contains("# model")
            .contains("feature_service: churn_model_v1");
        assertThat(run("registry", "--versions", "--url", url).out()).contains("VERSION").contains("1 ");
        assertThat(run("registry", "--object", "customer_orders:spend_7d", "--url", url).out())
            .contains("aggregation: sum").contains("window: 7d");
        Run q = run("quarantine", "--source", "profiles", "--rule", "contract.allowed", "--url", url);
        assertThat(q.code()).isZero();
        assertThat(q.out()).contains("contract.allowed").contains("diamond").doesNotContain("contract.min");
        Run sql = run("sql", "SELECT source, COUNT(*) AS n FROM HEARTH.QUARANTINE GROUP BY source ORDER BY source",
            "--url", url);
        assertThat(sql.code()).as(sql.err()).isZero();
        assertThat(sql.out()).contains("SOURCE").contains("profiles").contains("rows)");
        Run badSql = run("sql", "SELEC 1", "--url", url);
        assertThat(badSql.code()).isEqualTo(1);
        assertThat(badSql.err().strip()).startsWith("hearth sql: ").doesNotContain("\n");
        Run dlq = run("dlq", "--source", "profiles", "--url", url);
        assertThat(dlq.code()).isEqualTo(1);
        assertThat(dlq.err()).contains("reads no Kafka topic");
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void extractFromLogAndExportLogsThroughTheCli() throws Exception {
        String url = "http://127.0.0.1:" + h.gateway.port();
        h.send("PUT", "/v1/registry?file=demo.yaml&force=true", "application/yaml", Harness.DEMO_YAML);
        long now = h.clock.millis();
        var http = java.net.http.HttpClient.newHttpClient();
        for (String id : new String[] {"cli-1", "cli-2"}) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/features/online"))
                .header("Content-Type", "application/json").header("X-Request-Id", id)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature_service\":\"churn_model_v1\","
                    + "\"entities\":{\"customer_id\":[\"C2001\"]}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        h.gateway.feedback().flush();
        assertThat(h.postJson("/v1/outcomes", "[{\"request_id\":\"cli-1\",\"label\":\"churned\",\"value\":1,"
            + "\"outcome_ts\":" + (now + 1000) + "},{\"request_id\":\"cli-2\",\"label\":\"churned\",\"value\":0,"
            + "\"outcome_ts\":" + now + "}]").json().get("matched").asLong()).isEqualTo(2);

        Path set = dir.resolve("from-log.csv");
        Run extract = run("extract", "--from-log", "--service", "churn_model_v1", "--label", "churned", "--from",
            Long.toString(now - 60_000), "--to", Long.toString(now + 60_000), "--out", set.toString(), "--url", url);
        assertThat(extract.code()).as(extract.err()).isZero();
        assertThat(extract.out()).contains("1 rows from 2 logged requests").contains("1 left out as leakage");
        java.util.List<String> lines = Files.readAllLines(set);
        assertThat(lines.get(0)).startsWith("request_id,customer_id,served_at,").endsWith(",churned");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("cli-1,C2001,").endsWith(",1");

        Path export = dir.resolve("logs.parquet");
        Run logs = run("logs", "export", "--service", "churn_model_v1", "--from", Long.toString(now - 60_000), "--to",
            Long.toString(now + 60_000), "--out", export.toString(), "--url", url);
        assertThat(logs.code()).as(logs.err()).isZero();
        try (var in = new io.hearth.formats.ParquetIn(export)) {
            assertThat(in.columnNames()).startsWith("request_id", "service", "registry_version");
            assertThat(in.rowCount()).isEqualTo(2);
        }
        Run noLabel = run("extract", "--from-log", "--service", "churn_model_v1", "--out", set.toString(), "--url", url);
        assertThat(noLabel.code()).isEqualTo(2);
        assertThat(noLabel.err()).contains("--label");
        Run unknown = run("logs", "export", "--service", "nope", "--out", export.toString(), "--url", url);
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).startsWith("hearth logs export: unknown feature service 'nope'");
    }
}
