package io.hearth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.devkafka.DevBroker;
import io.hearth.gateway.HearthGateway;
import io.hearth.ingest.Breakers;
import io.hearth.node.CacheLayout;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.fold.LogFolder;
import io.hearth.quality.Reference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code bench/run ingest --expectations}: what judging expectations costs the ingest path. Two sources that differ
 * only in their expectations, {@code events} (none) and {@code events_q} (expectations on every column, windows of
 * 1,000 records, a PSI reference stored before the first measured arm), take the same records over the same path in
 * one JVM, arms alternating none, with, none, ..., with, none after one warm-up pair (the closing none-arm centres
 * both arms' means on the same time, so a drift of the machine or of the store's size over the run cancels out). HTTP arms post NDJSON bodies of 50k on
 * 2 connections (acknowledged: durable); Kafka arms produce the arm's records to its source's topic with the bridge
 * stopped, then start the bridge and time from the first applied batch to the last. The log is folded before every
 * arm, so no arm inherits the previous one's backlog. The with-arm is checked to have judged its windows
 * ({@code HEARTH.QUALITY} rows counted), so the figure cannot be of a no-op.
 */
final class ExpectationsCost {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NONE = "events";
    static final String WITH = "events_q";
    static final String REFERENCE = "bench_amount";

    private ExpectationsCost() {
    }

    /** The bench's events source under {@code name}, with {@code expectations} (YAML lines under the source, or empty). */
    private static String source(String name, String topic, String expectations) {
        return """
              - name: %s
                entity: user
                timestamp_field: ts
                schema: {user_id: string, amount: double, items: long, kind: string, ts: timestamp}
                contract: {kind: {allowed: [web, store, app]}, amount: {min: 0}}
                quarantine_threshold: 0.5
                streams: {kafka: {topic: %s}}
            """.formatted(name, topic) + expectations;
    }

    /**
     * The example adapted to the bench's columns: every column has expectations, every kind a source can
     * declare is used at least once, and all of them pass on the generator's records (amount uniform in [0, 10000),
     * items uniform in 0..9, kind one of three, user_id over the entities, ts in December 2025), so no failure is
     * logged and the cost measured is that of judging, not of reporting failures. {@code unique} on user_id (the
     * source has no id field) tolerates the birthday repeats of 1,000 draws over 100k entities (~1%); freshness allows
     * the year between the generator's timestamps and now.
     */
    static final String EXPECTATIONS = """
                expectations:
                  window: 1000
                  columns:
                    user_id:
                      - {expect: not_null, mostly: 0.99, severity: block}
                      - {expect: unique, mostly: 0.95}
                    amount:
                      - {expect: not_null, mostly: 0.99, severity: block}
                      - {expect: between, min: 0, max: 10000, mostly: 0.999}
                      - {expect: mean_between, min: 4500, max: 5500}
                      - {expect: stddev_between, min: 2500, max: 3300}
                      - {expect: null_rate, k: 3, windows: 20}
                      - {expect: drift, method: psi, reference: bench_amount, warn: 0.1, fail: 0.25}
                    items:
                      - {expect: not_null}
                      - {expect: between, min: 0, max: 9}
                      - {expect: in_set, values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}
                      - {expect: mean_between, min: 4, max: 5}
                    kind:
                      - {expect: not_null}
                      - {expect: in_set, values: [web, store, app], mostly: 0.98}
                    ts:
                      - {expect: not_null}
                      - {expect: freshness, max_lag: 400d}
                  row_count: {min: 1, per: 15m, severity: warn}
            """;

    static String definitions() {
        return definitions(EXPECTATIONS);
    }

    /** The definitions with {@code expectations} on the with-source ("" for the A/A control). */
    static String definitions(String expectations) {
        StringBuilder features = new StringBuilder();
        for (String f : new String[] {"{name: last_amount, column: amount}", "{name: n_7d, aggregation: count, window: 7d}",
            "{name: spend_30d, aggregation: sum, column: amount, window: 30d}"}) {
            features.append("          - ").append(f).append('\n');
        }
        return "project: bench\nentities: [{name: user, join_keys: [user_id]}]\nsources:\n"
            + source(NONE, "bench.none", "") + source(WITH, "bench.with", expectations)
            + "feature_views:\n"
            + "  - name: v\n    entity: user\n    source: " + NONE + "\n    features:\n" + features
            + "  - name: vq\n    entity: user\n    source: " + WITH + "\n    features:\n" + features;
    }

    /** One measured arm. */
    private record Arm(String path, String arm, int round, int events, double seconds, double cpuSeconds, long windows,
                       long results) {
        double eps() {
            return events / seconds;
        }

        /** Events per CPU second of this process: what the other load on the machine distorts least. */
        double perCpu() {
            return events / cpuSeconds;
        }
    }

    /**
     * @param control the A/A control: the with-source gets no expectations either, so what its arms measure apart
     *     from the none-arms is the design's own bias (order, source, noise), not the cost of expectations
     */
    static int run(Path dir, int perArm, int rounds, List<String> paths, int entities, boolean control) throws Exception {
        int disco = IngestBench.freePort();
        NodeSettings ns = NodeSettings.server(dir.resolve("node")).withPorts(disco, IngestBench.freePort(),
            IngestBench.freePort()).withPeers(List.of("127.0.0.1:" + disco)).withLimits(3L << 30, 64L << 20);
        System.out.printf("ingest bench, expectations: %,d events an arm over %,d entities, paths %s, a warm-up pair then "
            + "%d rounds of none/with%s; one persistent node (region 3 GB, WAL LOG_ONLY), %d cores%n", perArm, entities, paths,
            rounds, control ? " (A/A CONTROL: the with-source has no expectations)" : "", Runtime.getRuntime().availableProcessors());
        List<Arm> arms = new ArrayList<>();
        try (DevBroker broker = DevBroker.start(dir.resolve("kafka"), IngestBench.freePort(), IngestBench.freePort(), 4);
             HearthNode node = new HearthNode(ns).start()) {
            try (Admin admin = Admin.create(IngestBench.props(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("bench.none", 4, (short) 1), new NewTopic("bench.with", 4, (short) 1)))
                    .all().get();
            }
            HearthGateway gw = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(0)
                .withBreakers(Breakers.Settings.defaults()), Clock.systemUTC());
            gw.registry().apply(DefinitionsParser.parse("bench.yaml", definitions(control ? "" : EXPECTATIONS)));
            storeReference(gw);
            gw.start();
            try {
                int next = 0; // the first event index not sent yet: every arm sends records of its own
                for (int round = 0; round <= rounds + 1; round++) {
                    boolean closing = round == rounds + 1; // a last none-arm: both arms' means centred on the same time
                    int events = round == 0 ? Math.max(20_000, perArm / 5) : perArm;
                    for (String path : paths) {
                        for (String arm : closing ? List.of("none") : List.of("none", "with")) {
                            String source = arm.equals("none") ? NONE : WITH;
                            LogFolder.foldEverywhere(node.ignite());
                            long[] before = quality(node.ignite());
                            double[] s = path.equals("http") ? IngestBench.http(gw.port(), source, next, events)
                                : kafka(broker, gw, source, arm.equals("none") ? "bench.none" : "bench.with", next, events);
                            next += events;
                            long[] after = quality(node.ignite());
                            Arm a = new Arm(path, arm, round, events, s[0], s[1], after[0] - before[0], after[1] - before[1]);
                            System.out.printf(Locale.ROOT, "%s %-4s %s: %,d events in %.2f s: %,.0f events/s; %.2f cores, "
                                + "%,.0f events per CPU second; %,d windows judged (%,d results)%n", path, arm, round == 0
                                ? "warm-up" : closing ? "closing" : "round " + round, events, s[0], a.eps(), s[1] / s[0],
                                a.perCpu(), a.windows(), a.results());
                            if (!control) {
                                check(a, node.ignite());
                            }
                            if (round > 0) {
                                arms.add(a);
                            }
                        }
                    }
                }
            } finally {
                gw.close();
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("bench", "ingest");
        figures.put("mode", control ? "expectations-control" : "expectations");
        figures.put("events_per_arm", perArm);
        figures.put("rounds", rounds);
        figures.put("entities", entities);
        Double headline = null;
        for (String path : paths) {
            double none = mean(arms, path, "none", Arm::eps);
            double with = mean(arms, path, "with", Arm::eps);
            long windows = arms.stream().filter(a -> a.path().equals(path) && a.arm().equals("with")).mapToLong(Arm::windows).sum();
            double[] spread = spread(arms, path);
            double cpuRatio = mean(arms, path, "with", Arm::perCpu) / mean(arms, path, "none", Arm::perCpu);
            System.out.printf(Locale.ROOT, "%s: none %,.0f events/s (mean of %d arms), with expectations %,.0f events/s "
                + "(mean of %d): ratio %.3f (each with-arm against its neighbours %.3f-%.3f); %,d windows judged in the "
                + "measured arms; per CPU second of the process, with / none %.3f%n", path, none, rounds + 1, with, rounds,
                with / none, spread[0], spread[1], windows, cpuRatio);
            figures.put(path + "_none_eps", Math.round(none));
            figures.put(path + "_with_eps", Math.round(with));
            figures.put(path + "_expectations_ratio", Math.round(with / none * 1000) / 1000.0);
            figures.put(path + "_windows_judged", windows);
            figures.put(path + "_cpu_ratio", Math.round(cpuRatio * 1000) / 1000.0);
            figures.put(path + "_ratio_neighbours", List.of(Math.round(spread[0] * 1000) / 1000.0,
                Math.round(spread[1] * 1000) / 1000.0));
            figures.put(path + "_arms_eps", arms.stream().filter(a -> a.path().equals(path))
                .map(a -> a.arm() + " " + Math.round(a.eps())).toList());
            if (headline == null) {
                headline = with / none;
            }
        }
        figures.put("expectations_ratio", Math.round(headline * 1000) / 1000.0); // the first path's, HTTP by default
        System.out.println(JSON.writeValueAsString(figures));
        return 0;
    }

    /** A PSI reference for amount from records the arms do not send (the generator's distribution). */
    private static void storeReference(HearthGateway gw) throws Exception {
        int n = 100_000;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = JSON.readTree(IngestBench.json(900_000_000 + i)).get("amount").asDouble();
        }
        gw.ingest().quality().store().putReference(Reference.of(REFERENCE, WITH, "amount", null, null, null, null, v, 0,
            System.currentTimeMillis()));
        gw.ingest().quality().referenceChanged(REFERENCE);
    }

    /**
     * Produces the arm's records with the bridge stopped, starts it, and times from the first applied batch to the
     * last (the consumer group's join and the first poll are left out: they are the same in both arms).
     */
    private static double[] kafka(DevBroker broker, HearthGateway gw, String source, String topic, int offset, int events)
        throws Exception {
        IngestBench.produce(broker, topic, offset, events);
        long base = applied(gw, source);
        long target = base + events;
        KafkaBridge bridge = new KafkaBridge(KafkaBridge.Settings.defaults(broker.bootstrap()).withGroup("bench"),
            gw.ingest()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            long t0 = 0;
            long cpu0 = 0;
            long c0 = base;
            while (true) {
                long c = applied(gw, source);
                long now = System.nanoTime();
                if (t0 == 0 && c > base) {
                    t0 = now;
                    cpu0 = IngestBench.cpuNanos();
                    c0 = c;
                }
                if (c >= target) {
                    if (c0 >= target) {
                        throw new IllegalStateException("all " + events + " records came in one batch: too few to time");
                    }
                    double scale = events / (double) (target - c0); // the first batch's records at the rate of the rest
                    return new double[] {(now - t0) / 1e9 * scale, (IngestBench.cpuNanos() - cpu0) / 1e9 * scale};
                }
                if (now > deadline) {
                    throw new IllegalStateException("Kafka arm did not finish in 20 min: " + (c - base) + " of " + events);
                }
                Thread.sleep(5);
            }
        } finally {
            bridge.close();
        }
    }

    private static long applied(HearthGateway gw, String source) {
        long[] t = gw.ingest().pipeline().totals(source);
        return t[0] + t[1];
    }

    /** {windows judged, results stored} of the with-source so far: windows counted by one expectation's rows. */
    private static long[] quality(Ignite ignite) {
        List<List<?>> rows = ignite.cache(CacheLayout.QUALITY).query(new SqlFieldsQuery("SELECT COUNT(*), "
            + "SUM(CASE WHEN column = 'amount' AND expect = 'not_null' THEN 1 ELSE 0 END) FROM HEARTH.QUALITY "
            + "WHERE source = ?").setArgs(WITH)).getAll();
        Number results = (Number) rows.get(0).get(0);
        Number windows = (Number) rows.get(0).get(1);
        return new long[] {windows == null ? 0 : windows.longValue(), results == null ? 0 : results.longValue()};
    }

    /** A with-arm judged (nearly) every window of its records, drift included, and none failed; a none-arm judged none. */
    private static void check(Arm a, Ignite ignite) {
        if (a.arm().equals("none")) {
            if (a.windows() != 0) {
                throw new IllegalStateException("the arm without expectations judged " + a.windows() + " windows");
            }
            return;
        }
        long whole = a.events() / 1000;
        if (a.windows() < whole - 1) { // a window open at the arm's end closes in the next with-arm
            throw new IllegalStateException("with-arm judged " + a.windows() + " windows of " + a.events() + " records");
        }
        List<List<?>> bad = ignite.cache(CacheLayout.QUALITY).query(new SqlFieldsQuery("SELECT column, expect, COUNT(*), "
            + "MAX(detail) FROM HEARTH.QUALITY WHERE source = ? AND success = FALSE GROUP BY column, expect")
            .setArgs(WITH)).getAll();
        List<List<?>> drift = ignite.cache(CacheLayout.QUALITY).query(new SqlFieldsQuery("SELECT COUNT(*) FROM "
            + "HEARTH.QUALITY WHERE source = ? AND expect = 'drift'").setArgs(WITH)).getAll();
        if (!bad.isEmpty()) {
            System.out.println("  failed expectations so far (column, expect, count, a detail): " + bad);
        }
        if (((Number) drift.get(0).get(0)).longValue() == 0) {
            throw new IllegalStateException("no drift result: the reference was not found");
        }
    }

    private static double mean(List<Arm> arms, String path, String arm, java.util.function.ToDoubleFunction<Arm> f) {
        return arms.stream().filter(a -> a.path().equals(path) && a.arm().equals(arm)).mapToDouble(f).average()
            .orElse(Double.NaN);
    }

    /** The lowest and highest ratio of a with-arm to the mean of the none-arms either side of it. */
    private static double[] spread(List<Arm> arms, String path) {
        List<Arm> own = arms.stream().filter(a -> a.path().equals(path)).toList();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 1; i + 1 < own.size(); i++) {
            if (own.get(i).arm().equals("with")) {
                double r = own.get(i).eps() / ((own.get(i - 1).eps() + own.get(i + 1).eps()) / 2);
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
        }
        return new double[] {lo, hi};
    }
}
