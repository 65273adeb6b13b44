package io.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.ColumnType;
import io.hearth.gateway.HearthGateway;
import io.hearth.cli.HearthCli;
import io.hearth.formats.ParquetOut;
import io.hearth.ingest.Breakers;
import io.hearth.devkafka.DevBroker;
import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.fold.LogFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

/**
 * {@code bench/run ingest [--events N] [--quick]}: events into Hearth four ways, in one JVM with one persistent
 * node, against a bare data streamer baseline measured in the same run.
 *
 * <ol>
 *   <li>baseline: the N events written by a bare {@code IgniteDataStreamer} as one binary object per event into a
 *       cache of the same kind (persistent region, backups=1, FULL_SYNC), no parsing, no validation;</li>
 *   <li>Kafka: the N events, produced as JSON to a 4-partition topic first, consumed by the bridge until all are
 *       applied (durable, visible);</li>
 *   <li>latency: at a steady 10k events/s from a producer, probe events on their own entities, each timed from
 *       the moment it is sent until an HTTP lookup returns it;</li>
 *   <li>HTTP: NDJSON bodies of 50k events on 2 connections, rate of acknowledged events;</li>
 *   <li>file: a Parquet file back-filled with {@code hearth ingest}.</li>
 * </ol>
 *
 * <p>{@code --expectations} measures only what judging expectations costs the HTTP and Kafka paths, sources with and
 * without them alternating in one run ({@link ExpectationsCost}).
 */
public final class IngestBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KINDS = {"web", "store", "app"};
    private static final long T0 = 1_764_547_200_000L; // 2025-12-01T00:00:00Z
    /** Entities the events spread over, uniformly: 100k by default (50 events each at 5M). */
    private static int entities = 100_000;

    /** Only the baseline and the Kafka phase (for A/B runs of the write path). */
    private static boolean kafkaOnly;

    /** Only the cost of expectations: the same path with and without them, alternating ({@link ExpectationsCost}). */
    private static boolean expectations;
    /** With --expectations: the A/A control, both sources without expectations. */
    private static boolean control;
    private static int rounds = 3;
    private static List<String> paths = List.of("http", "kafka");

    /** Ignite settings changed for this run (NAME=VALUE), to measure what they do. */
    private static final List<String> levers = new ArrayList<>();

    /** Applies the levers to the node's configuration. */
    private static void tune(org.apache.ignite.configuration.IgniteConfiguration cfg) {
        org.apache.ignite.configuration.DataStorageConfiguration ds = cfg.getDataStorageConfiguration();
        for (String lever : levers) {
            String[] kv = lever.split("=", 2);
            long v = Long.parseLong(kv[1]);
            switch (kv[0]) {
                case "checkpoint-ms" -> ds.setCheckpointFrequency(v);
                case "wal-archive-mb" -> ds.setMaxWalArchiveSize(v << 20);
                case "wal-segment-mb" -> ds.setWalSegmentSize((int) (v << 20));
                case "wal-segments" -> ds.setWalSegments((int) v);
                case "streamer-pool" -> cfg.setDataStreamerThreadPoolSize((int) v);
                case "pipelined", "max-poll" -> { } // the consumer's, applied where it starts
                case "archive-trigger-percent" -> System.setProperty("IGNITE_CHECKPOINT_TRIGGER_ARCHIVE_SIZE_PERCENTAGE",
                    Double.toString(v / 100.0));
                default -> throw new IllegalArgumentException("unknown lever " + kv[0]);
            }
        }
    }

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        Integer events = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--entities" -> entities = Integer.parseInt(args[++i]);
                case "--kafka-only" -> kafkaOnly = true;
                case "--lever" -> levers.add(args[++i]);
                case "--expectations" -> expectations = true;
                case "--control" -> control = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--paths" -> paths = List.of(args[++i].split(","));
                default -> {
                    System.err.println("usage: bench/run ingest [--quick | --events N] [--entities N] [--kafka-only] "
                        + "[--lever NAME=VALUE ...]   levers: checkpoint-ms, wal-archive-mb, archive-trigger-percent, "
                        + "wal-segment-mb, wal-segments, streamer-pool, pipelined (0/1), max-poll\n"
                        + "       bench/run ingest --expectations [--quick | --events N (an arm)] [--rounds N] "
                        + "[--paths http,kafka] [--control]");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("hearth-ingest-bench");
        int code;
        try {
            code = expectations
                ? ExpectationsCost.run(dir, events != null ? events : quick ? 100_000 : 500_000, rounds, paths, entities, control)
                : run(dir, events != null ? events : quick ? 500_000 : 5_000_000);
        } finally {
            BenchSupport.deleteTree(dir);
        }
        System.exit(code);
    }

    /** Event i: deterministic, so every path writes the same records. */
    static String json(int i) {
        SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        return "{\"user_id\":\"U" + r.nextInt(entities) + "\",\"amount\":" + (r.nextInt(1_000_000) / 100.0) + ",\"items\":"
            + r.nextInt(10) + ",\"kind\":\"" + KINDS[r.nextInt(3)] + "\",\"ts\":" + (T0 + r.nextLong(30L * 86_400_000)) + "}";
    }

    static final String DEFINITIONS = """
        project: bench
        entities: [{name: user, join_keys: [user_id]}]
        sources:
          - name: events
            entity: user
            timestamp_field: ts
            schema: {user_id: string, amount: double, items: long, kind: string, ts: timestamp}
            contract: {kind: {allowed: [web, store, app]}, amount: {min: 0}}
            quarantine_threshold: 0.5
            streams: {kafka: {topic: bench.events}}
        feature_views:
          - name: v
            entity: user
            source: events
            features:
              - {name: last_amount, column: amount}
              - {name: last_items, column: items}
              - {name: last_kind, column: kind}
              - {name: n_1d, aggregation: count, window: 1d}
              - {name: n_7d, aggregation: count, window: 7d}
              - {name: n_30d, aggregation: count, window: 30d}
              - {name: spend_1d, aggregation: sum, column: amount, window: 1d}
              - {name: spend_7d, aggregation: sum, column: amount, window: 7d}
              - {name: spend_30d, aggregation: sum, column: amount, window: 30d}
              - {name: avg_1d, aggregation: avg, column: amount, window: 1d}
              - {name: avg_7d, aggregation: avg, column: amount, window: 7d}
              - {name: avg_30d, aggregation: avg, column: amount, window: 30d}
              - {name: max_1d, aggregation: max, column: amount, window: 1d}
              - {name: max_7d, aggregation: max, column: amount, window: 7d}
              - {name: max_30d, aggregation: max, column: amount, window: 30d}
              - {name: min_7d, aggregation: min, column: amount, window: 7d}
              - {name: min_30d, aggregation: min, column: amount, window: 30d}
              - {name: items_7d, aggregation: sum, column: items, window: 7d}
              - {name: items_30d, aggregation: sum, column: items, window: 30d}
              - {name: avg_items_30d, aggregation: avg, column: items, window: 30d}
        """;

    static int run(Path dir, int n) throws Exception {
        int disco = freePort();
        NodeSettings ns = NodeSettings.server(dir.resolve("node")).withPorts(disco, freePort(), freePort())
            .withPeers(List.of("127.0.0.1:" + disco)).withLimits(3L << 30, 64L << 20);
        System.out.printf("ingest bench: %,d events of 5 fields over %,d entities, one persistent node (region 3 GB, WAL LOG_ONLY), Kafka "
            + "3.9 KRaft broker in the same JVM, %d cores%s%n", n, entities, Runtime.getRuntime().availableProcessors(),
            levers.isEmpty() ? "" : ", levers " + levers);
        try (DevBroker broker = DevBroker.start(dir.resolve("kafka"), freePort(), freePort(), 4);
             HearthNode node = new HearthNode(ns).tune(IngestBench::tune).start()) {
            try (Admin admin = Admin.create(props(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("bench.events", 4, (short) 1))).all().get();
            }
            double produceS = produce(broker, n);
            System.out.printf("produced %,d JSON records to 4 partitions in %.2f s (%,.0f/s)%n", n, produceS, n / produceS);

            long wal0 = walBytes(node.ignite());
            double bareS = bare(node.ignite(), n, false);
            double bareWal = (walBytes(node.ignite()) - wal0) / (double) n;
            double streamerEps = n / bareS;
            System.out.printf("baseline: bare data streamer, %,d binary objects, %.2f s: %,.0f events/s, WAL %.0f bytes/event%n",
                n, bareS, streamerEps, bareWal);
            wal0 = walBytes(node.ignite());
            double consistentS = bare(node.ignite(), n, true);
            double consistentWal = (walBytes(node.ignite()) - wal0) / (double) n;
            double consistentEps = n / consistentS;
            System.out.printf("baseline: consistent data streamer (allowOverwrite, ATOMIC FULL_SYNC), %.2f s: %,.0f events/s, "
                + "WAL %.0f bytes/event%n", consistentS, consistentEps, consistentWal);

            HearthGateway.Settings gs = HearthGateway.Settings.defaults(0).withBreakers(Breakers.Settings.defaults());
            HearthGateway gw = new HearthGateway(node.ignite(), gs, Clock.systemUTC());
            // Definitions before the bridge starts, so the clock below times consuming only.
            gw.registry().apply(io.hearth.catalog.DefinitionsParser.parse("bench.yaml", DEFINITIONS));
            long walKafka = walBytes(node.ignite());
            long t = System.nanoTime();
            gw.start();
            KafkaBridge.Settings ks = KafkaBridge.Settings.defaults(broker.bootstrap()).withGroup("bench")
                .withPipelining(!levers.contains("pipelined=0"));
            for (String lever : levers) {
                if (lever.startsWith("max-poll=")) {
                    ks = ks.withMaxPollRecords(Integer.parseInt(lever.substring("max-poll=".length())));
                }
            }
            KafkaBridge bridge = new KafkaBridge(ks, gw.ingest()).start();
            try {
                while (applied(gw) < n) {
                    Thread.sleep(20);
                    if (System.nanoTime() - t > Duration.ofMinutes(30).toNanos()) {
                        throw new IllegalStateException("Kafka phase did not finish in 30 min: " + applied(gw));
                    }
                }
                double kafkaS = (System.nanoTime() - t) / 1e9;
                double kafkaEps = n / kafkaS;
                double phaseWal = (walBytes(node.ignite()) - walKafka) / (double) n;
                System.out.printf("Kafka -> applied: %,d events in %.2f s: %,.0f events/s (ratio to bare streamer %.2f, to the "
                    + "consistent one %.2f), WAL %.0f bytes/event in the phase%n", n, kafkaS, kafkaEps, kafkaEps / streamerEps,
                    kafkaEps / consistentEps, phaseWal);
                long[] lag = foldLag(node.ignite(), "after the Kafka phase");
                double unfoldedRps = lookups(gw, node.ignite(), Duration.ofSeconds(kafkaOnly ? 5 : 10));
                long tf = System.nanoTime();
                LogFolder.foldEverywhere(node.ignite());
                double foldS = (System.nanoTime() - tf) / 1e9;
                double kafkaWal = (walBytes(node.ignite()) - walKafka) / (double) n;
                double foldedRps = lookups(gw, node.ignite(), Duration.ofSeconds(kafkaOnly ? 5 : 10));
                System.out.printf("fold of the rest: %.2f s; WAL of the phase and its fold %.0f bytes/event (%.2f x the bare streamer's)%n",
                    foldS, kafkaWal, kafkaWal / bareWal);
                System.out.printf("lookups of 1 entity x 20 features (in-process, one thread): %,.0f/s with %,d events unfolded, "
                    + "%,.0f/s fully folded (%.2f)%n", unfoldedRps, lag[0], foldedRps, unfoldedRps / foldedRps);

                if (kafkaOnly) {
                    System.out.println(String.format(Locale.ROOT, "{\"bench\":\"ingest\",\"events\":%d,\"entities\":%d,"
                        + "\"kafka_eps\":%.0f,\"streamer_eps\":%.0f,\"consistent_eps\":%.0f,\"ratio\":%.3f,"
                        + "\"consistent_ratio\":%.3f,\"wal_bytes_ratio\":%.2f,\"fold_lag_events\":%d,\"fold_s\":%.2f,"
                        + "\"lookup_unfolded_ratio\":%.2f}", n, entities, kafkaEps, streamerEps, consistentEps,
                        kafkaEps / streamerEps, kafkaEps / consistentEps, kafkaWal / bareWal, lag[0], foldS,
                        unfoldedRps / foldedRps));
                    return 0;
                }
                long[] latencySent = new long[1];
                double[] lat = latency(broker, gw, 10_000, Duration.ofSeconds(20), latencySent);
                System.out.printf("produce -> visible in a lookup at 10k events/s: %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    (int) lat[3], lat[0], lat[1], lat[2]);
                long drainStart = System.nanoTime();
                while (applied(gw) < n + latencySent[0] && System.nanoTime() - drainStart < Duration.ofMinutes(10).toNanos()) {
                    Thread.sleep(50); // the next phases run without the consumer's backlog beside them
                }

                int httpEvents = Math.max(100_000, n / 5);
                double httpS = http(gw.port(), n, httpEvents);
                double httpEps = httpEvents / httpS;
                System.out.printf("HTTP NDJSON: %,d events in bodies of 50k on 2 connections, acknowledged in %.2f s: %,.0f events/s "
                    + "(ratio to bare streamer %.2f)%n", httpEvents, httpS, httpEps, httpEps / streamerEps);
                foldLag(node.ignite(), "after the HTTP phase");

                int fileEvents = Math.max(100_000, n / 5);
                double fileS = file(dir, gw.port(), n + httpEvents, fileEvents);
                double fileEps = fileEvents / fileS;
                System.out.printf("Parquet back-fill (hearth ingest, batches of 10k): %,d events in %.2f s: %,.0f events/s%n",
                    fileEvents, fileS, fileEps);
                foldLag(node.ignite(), "after the file phase");

                System.out.println(String.format(Locale.ROOT, "{\"bench\":\"ingest\",\"events\":%d,\"entities\":%d,"
                    + "\"kafka_eps\":%.0f,\"streamer_eps\":%.0f,\"consistent_eps\":%.0f,\"ratio\":%.3f,"
                    + "\"consistent_ratio\":%.3f,\"http_eps\":%.0f,\"http_ratio\":%.3f,\"file_eps\":%.0f,"
                    + "\"p99_visible_ms\":%.1f,\"p50_visible_ms\":%.1f,\"wal_bytes_ratio\":%.2f,\"fold_lag_events\":%d,"
                    + "\"fold_s\":%.2f,\"lookup_unfolded_ratio\":%.2f}", n, entities, kafkaEps, streamerEps, consistentEps,
                    kafkaEps / streamerEps, kafkaEps / consistentEps, httpEps, httpEps / streamerEps, fileEps, lat[1], lat[0],
                    kafkaWal / bareWal, lag[0], foldS, unfoldedRps / foldedRps));
            } finally {
                bridge.close();
                gw.close();
            }
        }
        return 0;
    }

    private static long applied(HearthGateway gw) {
        long[] t = gw.ingest().pipeline().totals("events");
        return t[0] + t[1];
    }

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static KafkaProducer<String, String> producer(DevBroker broker) {
        return new KafkaProducer<>(props(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG,
            "all", ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new StringSerializer());
    }

    private static double produce(DevBroker broker, int n) {
        return produce(broker, "bench.events", 0, n);
    }

    /** Events {@code offset} to {@code offset + n} to {@code topic}, all acknowledged: seconds taken. */
    static double produce(DevBroker broker, String topic, int offset, int n) {
        long t = System.nanoTime();
        try (KafkaProducer<String, String> p = producer(broker)) {
            for (int i = offset; i < offset + n; i++) {
                p.send(new ProducerRecord<>(topic, json(i)));
            }
            p.flush();
        }
        return (System.nanoTime() - t) / 1e9;
    }

    /** Bytes the node has written to its WAL since it started (Ignite's {@code io.datastorage.WalWrittenBytes}). */
    static long walBytes(Ignite ignite) {
        org.apache.ignite.spi.metric.LongMetric m = ((org.apache.ignite.internal.IgniteEx) ignite).context().metric()
            .registry("io.datastorage").findMetric("WalWrittenBytes");
        return m == null ? 0 : m.value();
    }

    /** What the log holds unfolded across the cluster now, printed: {events, age of the oldest in ms}. */
    private static long[] foldLag(Ignite ignite, String when) {
        long events = 0;
        long oldest = Long.MAX_VALUE;
        for (long[] b : LogFolder.backlogEverywhere(ignite, "events")) {
            events += b[1] + b[3];
            oldest = Math.min(oldest, b[4]);
        }
        long age = oldest == Long.MAX_VALUE ? 0 : System.currentTimeMillis() - oldest;
        System.out.printf("fold lag %s: %,d events not yet folded, the oldest %.1f s old%n", when, events, age / 1000.0);
        return new long[] {events, age};
    }

    /** Lookups of one random entity and the view's 20 features, on one thread, for {@code length}: lookups/s. */
    private static double lookups(HearthGateway gw, Ignite ignite, Duration length) {
        io.hearth.catalog.Definitions defs = gw.registry().definitions();
        List<io.hearth.catalog.FeatureRef> refs = defs.featureView("v").orElseThrow().features().stream()
            .map(f -> io.hearth.catalog.FeatureRef.parse("v:" + f.name())).toList();
        io.hearth.node.serving.OnlineLookup lookup = new io.hearth.node.serving.OnlineLookup(
            new io.hearth.node.store.EventStore(ignite));
        SplittableRandom r = new SplittableRandom(42);
        long t = T0 + 31L * 86_400_000;
        long end = System.nanoTime() + length.toNanos();
        long start = System.nanoTime();
        int done = 0;
        while (System.nanoTime() < end) {
            lookup.lookup(defs, refs, List.of("U" + r.nextInt(entities)), t);
            done++;
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The baselines: the same events as binary objects through a data streamer, no checks, into an ATOMIC
     * FULL_SYNC cache with one backup: the default streamer ({@code consistent} false: its updates skip the cache's
     * usual path), or with {@code allowOverwrite(true)} (the consistent way to stream).
     */
    private static double bare(Ignite ignite, int n, boolean consistent) {
        String name = consistent ? "bench_consistent" : "bench_bare";
        ignite.getOrCreateCache(new CacheConfiguration<Long, Object>(name).setCacheMode(CacheMode.PARTITIONED)
            .setBackups(1).setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC));
        long t = System.nanoTime();
        try (IgniteDataStreamer<Long, BinaryObject> s = ignite.dataStreamer(name)) {
            s.keepBinary(true);
            s.allowOverwrite(consistent);
            for (int i = 0; i < n; i++) {
                SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
                s.addData((long) i, ignite.binary().builder("BenchEvent").setField("user_id", "U" + r.nextInt(entities))
                    .setField("amount", r.nextInt(1_000_000) / 100.0).setField("items", (long) r.nextInt(10))
                    .setField("kind", KINDS[r.nextInt(3)]).setField("ts", T0 + r.nextLong(30L * 86_400_000)).build());
            }
        }
        double s = (System.nanoTime() - t) / 1e9;
        ignite.destroyCache(name);
        return s;
    }

    /** Background load at {@code rate} events/s; probes timed from send until a lookup sees them. */
    private static double[] latency(DevBroker broker, HearthGateway gw, int rate, Duration length, long[] loadSent)
        throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI lookup = URI.create("http://127.0.0.1:" + gw.port() + "/get-online-features");
        List<Double> ms = new ArrayList<>();
        try (KafkaProducer<String, String> load = producer(broker);
             KafkaProducer<String, String> probes = new KafkaProducer<>(props(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                 broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "0"),
                 new StringSerializer(), new StringSerializer())) {
            Thread loader = new Thread(() -> {
                long start = System.nanoTime();
                long sent = 0;
                int i = 50_000_000;
                while (System.nanoTime() - start < length.toNanos()) {
                    long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                    while (sent < due) {
                        load.send(new ProducerRecord<>("bench.events", json(i++)));
                        sent++;
                        loadSent[0]++;
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load");
            loader.start();
            Thread.sleep(2000); // the load runs steadily before probes start
            int seq = 0;
            long end = System.nanoTime() + length.toNanos() - Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < end) {
                seq++;
                String entity = "P" + (seq % 50);
                double value = seq + 0.5;
                long sent = System.nanoTime();
                probes.send(new ProducerRecord<>("bench.events", "{\"user_id\":\"" + entity + "\",\"amount\":" + value
                    + ",\"items\":1,\"kind\":\"web\",\"ts\":" + (System.currentTimeMillis() + seq) + "}"));
                String body = "{\"features\":[\"v:last_amount\"],\"entities\":{\"user_id\":[\"" + entity + "\"]}}";
                while (true) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(lookup).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    JsonNode v = JSON.readTree(r.body()).at("/results/1/values/0");
                    if (v.isNumber() && v.asDouble() == value) {
                        break;
                    }
                    if (System.nanoTime() - sent > Duration.ofSeconds(10).toNanos()) {
                        break; // the consumer is behind the load: recorded as 10 s, and probing stops
                    }
                }
                ms.add(Math.min(10_000, (System.nanoTime() - sent) / 1e6));
                if (ms.get(ms.size() - 1) >= 10_000) {
                    System.out.printf("probe %d not visible after 10 s: the consumer is behind the 10k/s load%n", seq);
                    break;
                }
                Thread.sleep(20);
            }
            loader.join();
            loadSent[0] += seq;
        }
        double[] a = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {pct(a, 0.50), pct(a, 0.99), a[a.length - 1], a.length};
    }

    private static double pct(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double http(int port, int offset, int total) throws Exception {
        return http(port, "events", 100_000_000 + offset, total)[0];
    }

    /**
     * Events {@code first} to {@code first + total} into {@code source} over HTTP, all acknowledged: {seconds taken,
     * CPU seconds this process used meanwhile}.
     */
    static double[] http(int port, String source, int first, int total) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/ingest/" + source);
        int per = 50_000;
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < total; from += per) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = from; i < Math.min(total, from + per); i++) {
                b.write((json(first + i) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            bodies.add(b.toByteArray());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long cpu = cpuNanos();
        long t = System.nanoTime();
        List<Future<Long>> done = new ArrayList<>();
        for (byte[] body : bodies) {
            done.add(pool.submit(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                }
                return JSON.readTree(r.body()).get("accepted").asLong();
            }));
        }
        long accepted = 0;
        for (Future<Long> f : done) {
            accepted += f.get();
        }
        double s = (System.nanoTime() - t) / 1e9;
        double cpuS = (cpuNanos() - cpu) / 1e9;
        pool.shutdown();
        if (accepted != total) {
            throw new IllegalStateException("HTTP accepted " + accepted + " of " + total);
        }
        return new double[] {s, cpuS};
    }

    private static double file(Path dir, int port, int offset, int total) throws IOException {
        Path f = dir.resolve("backfill.parquet");
        try (ParquetOut out = new ParquetOut(f, List.of("user_id", "amount", "items", "kind", "ts"), List.of(ColumnType.STRING,
            ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING, ColumnType.TIMESTAMP))) {
            for (int i = 0; i < total; i++) {
                JsonNode e = JSON.readTree(json(200_000_000 + offset + i));
                out.write(new Object[] {e.get("user_id").asText(), e.get("amount").asDouble(), e.get("items").asLong(),
                    e.get("kind").asText(), e.get("ts").asLong()});
            }
        }
        long t = System.nanoTime();
        int code = new CommandLine(new HearthCli()).execute("ingest", "--source", "events", f.toString(), "--url",
            "http://127.0.0.1:" + port);
        double s = (System.nanoTime() - t) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("hearth ingest exited with " + code);
        }
        return s;
    }

    /** CPU time this process has used so far, all threads (what other processes on the machine do not inflate). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
