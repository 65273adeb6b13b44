package io.hearth.connectors.kafka;

import io.hearth.devkafka.DevBroker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.gateway.Harness;
import io.hearth.ingest.Breakers;
import io.hearth.node.CacheLayout;
import io.hearth.node.store.EventStore;
import io.hearth.node.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka bridge against a real KRaft broker and a real node: validation, quarantine, dead letters, breaker. */
class KafkaIngestIT {
    static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    @TempDir
    static Path dir;
    static DevBroker broker;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startBroker() {
        broker = DevBroker.start(dir.resolve("kafka"), TestNodes.freePort(), TestNodes.freePort(), 2);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static String yaml(String topic, double threshold) {
        return """
            project: k
            entities: [{name: user, join_keys: [user_id]}]
            sources:
              - name: clicks
                entity: user
                timestamp_field: ts
                schema: {user_id: string, amount: double, kind: string, ts: timestamp}
                contract:
                  amount: {min: 0}
                  kind: {allowed: [a, b]}
                quarantine_threshold: %s
                streams: {kafka: {topic: %s}}
            feature_views:
              - name: v
                entity: user
                source: clicks
                features:
                  - {name: n, aggregation: count, window: 3650d}
                  - {name: total, aggregation: sum, column: amount, window: 3650d}
            """.formatted(threshold, topic);
    }

    static String event(String user, double amount, String kind, long ts) {
        return "{\"user_id\":\"" + user + "\",\"amount\":" + amount + ",\"kind\":\"" + kind + "\",\"ts\":" + ts + "}";
    }

    static void produce(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /**
     * Sends records through a producer that lingers, then flushes: they leave as one request and land in the log
     * as one batch, which a consumer's poll returns whole.
     */
    static void produceAsOneBatch(String topic, String key, List<String> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> batching = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String v : values) {
                sent.add(batching.send(new ProducerRecord<>(topic, key, v)));
            }
            batching.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        }
    }

    static Harness harness(Path d, Breakers.Settings breakers) {
        KafkaBridge.Settings kafka = new KafkaBridge.Settings(broker.bootstrap(), "g-" + UUID.randomUUID(), 500,
            Duration.ofMillis(200), null, true);
        return new Harness(d, NOW, 1L << 30, s -> s.withBreakers(breakers)).with(g -> {
            KafkaBridge bridge = new KafkaBridge(kafka, g.ingest()).start();
            g.feeds(bridge);
            return bridge;
        }).start();
    }

    /** A harness whose bridge also consumes outcome topics into the gateway's feedback loop. */
    static Harness harnessWithOutcomes(Path d) {
        KafkaBridge.Settings kafka = new KafkaBridge.Settings(broker.bootstrap(), "g-" + UUID.randomUUID(), 500,
            Duration.ofMillis(200), null, true);
        return new Harness(d, NOW, 1L << 30).with(g -> {
            KafkaBridge bridge = new KafkaBridge(kafka, g.ingest()).withOutcomes(g.feedback().outcomes()::record).start();
            g.feeds(bridge);
            return bridge;
        }).start();
    }

    @Test
    void outcomesOnTheTopicAServiceDeclaresAreStoredOnceAndMatchTheirLogs() throws Exception {
        String events = "e-" + UUID.randomUUID();
        String outcomes = "o-" + UUID.randomUUID();
        String defs = yaml(events, 1.0) + """
            feature_services:
              - name: s
                features: [{v: [n]}]
                logging: {sample_rate: 1, outcomes: {kafka: {topic: %s}}}
            """.formatted(outcomes);
        try (Harness h = harnessWithOutcomes(dir.resolve("n-outcomes"))) {
            assertThat(h.applyYaml(defs).status()).isEqualTo(200);
            var lookup = java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url("/v1/features/online")))
                .header("Content-Type", "application/json").header("X-Request-Id", "k-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature_service\":\"s\",\"entities\":"
                    + "{\"user_id\":[\"u1\"]}}")).build();
            assertThat(java.net.http.HttpClient.newHttpClient().send(lookup,
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            h.gateway.feedback().flush();
            String good = "{\"request_id\":\"k-1\",\"label\":\"clicked\",\"value\":true,\"outcome_ts\":" + (NOW + 1000)
                + "}";
            produce(outcomes, null, good);
            produce(outcomes, null, good); // at-least-once delivery: stored once all the same
            produce(outcomes, null, "{\"request_id\":\"k-2\",\"label\":\"clicked\",\"value\":false,\"outcome_ts\":"
                + (NOW + 1000) + "}");
            produce(outcomes, null, "{\"request_id\":\"k-3\",\"label\":\"clicked\"}"); // no value: dead letter
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                h.node.ignite().cache(CacheLayout.OUTCOMES).size() == 2);
            var r = h.gateway.feedback().outcomes().record(List.of(new io.hearth.feedback.Outcome("k-1", "clicked", "true",
                NOW + 1000), new io.hearth.feedback.Outcome("k-2", "clicked", "false", NOW + 1000)));
            assertThat(r.matched()).isEqualTo(1);
            assertThat(r.unmatched()).isEqualTo(1);
            assertThat(r.alreadyStored()).isEqualTo(2);
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(outcomes + ".dlq"));
                List<String> rules = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (rules.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
                        rules.add(header(rec, "hearth.error.rule") + " " + header(rec, "hearth.error.field"));
                    }
                }
                assertThat(rules).containsExactly("required value");
            }
        }
    }

    static long stored(Harness h, String... users) {
        EventStore events = new EventStore(h.node.ignite());
        long n = 0;
        for (String u : users) {
            n += events.count("clicks", u);
        }
        return n;
    }

    /**
     * A nullable column applied while records stream in from the topic: every record produced after the apply
     * answered is stored with it, none is quarantined as schema.unknown_field, and events stored before read null.
     */
    @Test
    void aColumnAddedWhileRecordsStreamInIsAcceptedFromTheMomentTheApplyAnswers() throws Exception {
        String topic = "t-evolve-" + UUID.randomUUID();
        String v1 = yaml(topic, 1.0);
        String v2 = v1.replace("kind: string, ts: timestamp}", "kind: string, page: string, ts: timestamp}")
            .replace("      - {name: total, aggregation: sum, column: amount, window: 3650d}",
                "      - {name: total, aggregation: sum, column: amount, window: 3650d}\n"
                    + "      - {name: last_page, column: page}");
        assertThat(v2).contains("page: string").contains("last_page");
        try (Harness h = harness(dir.resolve("n-evolve"), Breakers.Settings.defaults())) {
            assertThat(h.applyYaml(v1).status()).isEqualTo(200);
            java.util.concurrent.atomic.AtomicBoolean applied = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CompletableFuture<Void> stream = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    int after = 0;
                    for (int i = 0; after < 100; i++) { // until 100 records after the apply answered
                        String e = event("u" + (i % 4), 1, "a", NOW - 100_000 + i);
                        if (applied.get()) { // produced after the apply answered: with the new column
                            e = e.replace("\"ts\"", "\"page\":\"p" + i + "\",\"ts\"");
                            after++;
                        }
                        produce(topic, null, e);
                        sent.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(h, "u0", "u1", "u2", "u3") >= 100);
            assertThat(h.applyYaml(v2).status()).isEqualTo(200);
            applied.set(true);
            produce(topic, null, event("u5", 1, "a", NOW - 1).replace("\"ts\"", "\"page\":\"late\",\"ts\""));
            stream.get(60, java.util.concurrent.TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(h, "u0", "u1", "u2", "u3", "u5") == sent.get() + 1);
            JsonNode q = h.get("/v1/quarantine?source=clicks&rule=schema.unknown_field").json();
            assertThat(q.get("records")).as(q.toString()).isEmpty();
            JsonNode now = h.postJson("/v1/features/online", "{\"features\":[\"v:last_page\"],\"entities\":"
                + "{\"user_id\":[\"u5\"]}}").json();
            assertThat(now.at("/results/1/values/0").asText()).as(now.toString()).isEqualTo("late");
            JsonNode old = h.postJson("/v1/features/online", "{\"features\":[\"v:last_page\"],\"entities\":"
                + "{\"user_id\":[\"u0\"]},\"as_of\":" + (NOW - 100_000 + 50) + "}").json();
            assertThat(old.at("/results/1/statuses/0").asText()).as("an event stored before the apply reads null: "
                + old).isEqualTo("NULL_VALUE");
        }
    }

    @Test
    void poisonRecordsGoToQuarantineAndTheDeadLetterTopicAndTheRestIsApplied() throws Exception {
        String topic = "t1-" + UUID.randomUUID();
        try (Harness h = harness(dir.resolve("n1"), Breakers.Settings.defaults())) {
            assertThat(h.applyYaml(yaml(topic, 1.0)).status()).isEqualTo(200);
            for (int i = 0; i < 40; i++) {
                produce(topic, null, event("u" + (i % 4), i, i % 2 == 0 ? "a" : "b", NOW - 1000 + i));
            }
            produce(topic, null, "not json at all");
            produce(topic, null, "[1,2]");
            produce(topic, null, event("u1", -5, "a", NOW));                    // contract.min
            produce(topic, null, event("u1", 5, "zzz", NOW));                   // contract.allowed
            produce(topic, null, "{\"user_id\":\"u1\",\"amount\":\"lots\",\"ts\":1}"); // schema.type
            produce(topic, null, "{\"user_id\":\"u1\",\"amount\":1,\"ts\":1,\"extra\":2}"); // schema.unknown_field
            produce(topic, null, null);                                         // tombstone
            produce(topic, "u9", "{\"amount\":7.5,\"kind\":\"a\",\"ts\":" + NOW + "}"); // entity from the record key

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> stored(h, "u0", "u1", "u2", "u3", "u9") == 41);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                h.get("/v1/quarantine?source=clicks").json().get("count").asLong() == 7);
            JsonNode q = h.get("/v1/quarantine?source=clicks&limit=100").json();
            List<String> rules = new ArrayList<>();
            q.get("records").forEach(r -> rules.add(r.get("rule").asText()));
            assertThat(rules).containsExactlyInAnyOrder("json.syntax", "json.not_object", "contract.min",
                "contract.allowed", "schema.type", "schema.unknown_field", "kafka.no_value");
            q.get("records").forEach(r -> assertThat(r.get("origin").asText()).startsWith("kafka:" + topic + "/"));

            // Dead letters carry the record and the rule it broke.
            Map<String, String> dlqRules = new HashMap<>();
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic + ".dlq"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (dlqRules.size() < 7 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        dlqRules.put(header(r, "hearth.original.offset"), header(r, "hearth.error.rule"));
                        assertThat(header(r, "hearth.source")).isEqualTo("clicks");
                        assertThat(header(r, "hearth.original.topic")).isEqualTo(topic);
                    }
                }
            }
            assertThat(dlqRules.values()).containsExactlyInAnyOrderElementsOf(rules);

            // The features count every good event once.
            JsonNode f = h.postJson("/v1/features/online", "{\"features\":[\"v:n\",\"v:total\"],\"entities\":"
                + "{\"user_id\":[\"u9\"]}}").json();
            assertThat(f.toString()).contains("7.5");
            JsonNode s = h.get("/v1/sources/clicks").json();
            assertThat(s.at("/kafka/topic").asText()).isEqualTo(topic);
            assertThat(s.at("/breaker/state").asText()).isEqualTo("CLOSED");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> h.get("/v1/sources/clicks").json().at("/kafka/lag")
                .asLong(-1) == 0);
            assertThat(h.get("/metrics").body()).contains("hearth_kafka_lag{partition=\"0\",source=\"clicks\"");
        }
    }

    /**
     * Waits until the source's consumer has polled {@code n} more times while paused by the breaker: proof, from
     * the consumer's side, that it ran and held its records back (not just that some time passed).
     */
    private static void awaitPausedPolls(Harness h, int n) {
        double start = pausedPolls(h);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pausedPolls(h) >= start + n);
    }

    private static double pausedPolls(Harness h) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "hearth_kafka_polls_total\\{source=\"clicks\",state=\"paused\"} ([0-9.E]+)").matcher(h.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theBreakerHaltsTheStreamAndHttpUntilResetAndNothingIsLost() throws Exception {
        String topic = "t2-" + UUID.randomUUID();
        try (Harness h = harness(dir.resolve("n2"), new Breakers.Settings(100, 20, Duration.ofHours(1)))) {
            assertThat(h.applyYaml(yaml(topic, 0.1)).status()).isEqualTo(200);
            for (int i = 0; i < 100; i++) {
                produce(topic, "k", event("u1", 1, "a", NOW - 100_000 + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(h, "u1") == 100);
            assertThat(h.get("/v1/sources/clicks").json().at("/breaker/state").asText()).isEqualTo("CLOSED");

            for (int i = 0; i < 60; i++) { // 60 bad of the next 120: far over 10%
                produce(topic, "k", event("u1", -1, "a", NOW - 50_000 + i));
                produce(topic, "k", event("u1", 2, "a", NOW - 50_000 + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                h.get("/v1/sources/clicks").json().at("/breaker/state").asText().equals("OPEN"));
            long held = stored(h, "u1");
            assertThat(held).isLessThan(160);
            awaitPausedPolls(h, 5); // the consumer polled while paused, and applied nothing more
            assertThat(stored(h, "u1")).isEqualTo(held);
            JsonNode s = h.get("/v1/sources/clicks").json();
            assertThat(s.at("/kafka/status").asText()).startsWith("paused");
            assertThat(s.at("/breaker/reason").asText()).contains("threshold 0.1");

            Harness.Response refused = h.ndjson("clicks", event("u2", 1, "a", NOW) + "\n");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("code").asText()).isEqualTo("HEARTH-INGEST-1");
            assertThat(refused.json().get("rule").asText()).isEqualTo("breaker.open");
            assertThat(stored(h, "u2")).isZero();

            assertThat(h.postJson("/v1/sources/clicks/breaker/reset", "{}").json().at("/breaker/state").asText())
                .isEqualTo("CLOSED");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(h, "u1") == 160);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                h.get("/v1/quarantine?source=clicks").json().get("count").asLong() == 60);
            assertThat(h.ndjson("clicks", event("u2", 1, "a", NOW) + "\n").status()).isEqualTo(200);
            assertThat(stored(h, "u2")).isEqualTo(1);
            assertThat(h.get("/v1/sources/clicks").json().at("/breaker/trips").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aHalfOpenProbeJudgesTheHeldBatchAloneAndClosesTheBreaker() throws Exception {
        String topic = "t3-" + UUID.randomUUID();
        try (Harness h = harness(dir.resolve("n3"), new Breakers.Settings(50, 10, Duration.ofMinutes(5)))) {
            assertThat(h.applyYaml(yaml(topic, 0.2)).status()).isEqualTo(200);
            for (int i = 0; i < 8; i++) { // too few to judge: applied, all quarantined
                produce(topic, "k", event("u1", -1, "a", NOW - 1000 + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                h.get("/v1/quarantine?source=clicks").json().get("count").asLong() == 8);
            List<String> good = new ArrayList<>();
            for (int i = 0; i < 12; i++) { // good, but the window (8 bad before them) is over 20%: held
                good.add(event("u1", 1, "a", NOW - 500 + i));
            }
            produceAsOneBatch(topic, "k", good); // one poll sees all 12: judged together, not one at a time
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                h.get("/v1/sources/clicks").json().at("/breaker/state").asText().equals("OPEN"));
            awaitPausedPolls(h, 5); // held: the consumer polls while paused and applies nothing
            assertThat(stored(h, "u1")).isZero();

            h.clock.advance(Duration.ofMinutes(6).toMillis()); // probe due: the held batch alone is clean
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stored(h, "u1") == 12);
            JsonNode s = h.get("/v1/sources/clicks").json();
            assertThat(s.at("/breaker/state").asText()).isEqualTo("CLOSED");
            assertThat(s.at("/breaker/reason").asText()).startsWith("probe passed");
        }
    }

    @Test
    void overHttpABadRequestOpensTheBreakerAndACleanRequestAfterTheProbeTimeClosesIt() throws Exception {
        String topic = "t4-" + UUID.randomUUID();
        try (Harness h = harness(dir.resolve("n4"), new Breakers.Settings(50, 10, Duration.ofMinutes(5)))) {
            assertThat(h.applyYaml(yaml(topic, 0.2)).status()).isEqualTo(200);
            StringBuilder bad = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                bad.append(event("u1", i < 5 ? -1 : 1, "a", NOW - 1000 + i)).append('\n');
            }
            Harness.Response r = h.ndjson("clicks", bad.toString());
            assertThat(r.status()).as("the request itself is answered: its records are in").isEqualTo(200);
            assertThat(r.json().get("rejected").asLong()).isEqualTo(5);
            Harness.Response refused = h.ndjson("clicks", event("u1", 1, "a", NOW) + "\n");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("detail").asText()).contains("/v1/sources/clicks/breaker/reset");

            h.clock.advance(Duration.ofMinutes(6).toMillis()); // the probe is due, and the cached state is stale
            assertThat(h.ndjson("clicks", event("u2", 1, "a", NOW) + "\n").status()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                h.get("/v1/sources/clicks").json().at("/breaker/state").asText().equals("CLOSED"));
            assertThat(stored(h, "u1")).isEqualTo(5);
            assertThat(stored(h, "u2")).isEqualTo(1);
        }
    }

    @Test
    void aBatchWhoseWriteFailedIsAppliedAgainOnceTheStoreIsBackAndOnlyOnce() throws Exception {
        String topic = "t5-" + UUID.randomUUID();
        try (Harness h = harness(dir.resolve("n5"), Breakers.Settings.defaults())) {
            assertThat(h.applyYaml(yaml(topic, 1.0)).status()).isEqualTo(200);
            produce(topic, "k", event("u1", 1, "a", NOW - 1000));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(h, "u1") == 1);

            h.node.ignite().destroyCache(CacheLayout.logCache("clicks")); // every write fails until it is back
            for (int i = 0; i < 30; i++) {
                produce(topic, "k", event("u2", 1, "a", NOW - 900 + i));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                h.get("/v1/sources/clicks").json().at("/kafka/status").asText().startsWith("retrying"));
            for (int i = 30; i < 40; i++) { // polled while earlier batches are failing: they must not get ahead
                produce(topic, "k", event("u2", 1, "a", NOW - 900 + i));
            }
            CacheLayout.createSourceCaches(h.node.ignite(), "clicks");

            produce(topic, "k", event("u3", 1, "a", NOW - 500)); // same partition: applied after every u2 record
            // A batch becomes visible partition by partition (entities of other partitions a moment later): wait for
            // both, then check that nothing came twice.
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stored(h, "u3") == 1 && stored(h, "u2") >= 40);
            assertThat(stored(h, "u2")).isEqualTo(40);
            assertThat(h.get("/v1/sources/clicks").json().at("/kafka/status").asText()).isEqualTo("consuming");
        }
    }
}
