package io.hearth.cluster;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventReads.EntityEvents;
import io.hearth.compute.semantics.Column;
import io.hearth.gateway.HearthGateway;
import io.hearth.devkafka.DevBroker;
import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.node.store.EventStore;
import io.hearth.node.TestNodes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact effect of the Kafka bridge across crashes, on three node processes: records of a 4-partition topic are
 * applied exactly once (count and sum exact) for sources without an id field, where only the records' Kafka places
 * tell replays apart, whether the gateway running the bridge is killed with -9 again and again, or a server node is.
 * Each test has its own source and topic; they share the cluster and the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaExactOnceIT {
    static final int RECORDS = 40_000;
    static final int ENTITIES = 100;
    static final int PARTITIONS = 4;
    @TempDir
    static Path dir;
    private DevBroker broker;
    private ProcessCluster cluster;
    private HearthGateway admin;

    @BeforeAll
    void start() {
        broker = DevBroker.start(dir.resolve("kafka"), TestNodes.freePort(), TestNodes.freePort(), 4);
        cluster = new ProcessCluster(dir.resolve("cluster"));
        cluster.startNodes("n0", "n1", "n2");
        admin = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0), Clock.systemUTC()).start();
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Registers a source (topic {@code exact.<source>}) as the only one, so no other test's bridge consumes it. */
    private void define(String source) {
        String yaml = """
            project: exact
            entities: [{name: thing, join_keys: [thing_id]}]
            sources:
              - name: %s
                entity: thing
                timestamp_field: ts
                schema: {thing_id: string, amount: long, ts: timestamp}
                streams: {kafka: {topic: exact.%s}}
            """.formatted(source, source);
        Http.Response applied = Http.put("http://127.0.0.1:" + admin.port() + "/v1/registry", "application/yaml", yaml);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    }

    @Test
    void killingTheBridgeWithSigkillNeverLosesOrDoublesARecord() throws Exception {
        long seed = Seeds.seed("KafkaExactOnceIT.killingTheBridge");
        Random rnd = new Random(seed);
        define("bridge");
        AtomicReference<Throwable> produceError = new AtomicReference<>();
        // The producer lets a third of the records through once each of the first bridges is up: however slowly a
        // gateway process starts on the machine at hand, records arrive while a bridge runs (so kills land
        // mid-stream), and the stream cannot be over before the second kill.
        AtomicInteger allowed = new AtomicInteger(0);
        Thread producer = produce("exact.bridge", produceError, allowed::get);
        EventStore events = new EventStore(cluster.client());
        long last = 0;
        int kills = 0;
        List<String> log = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            ProcessCluster.GatewayProcess gw = startBridge("gw-" + round);
            allowed.set(Math.min(RECORDS, (round + 1) * RECORDS / 3));
            try {
                long before = last;
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                    .until(() -> count(events, "bridge") > before || count(events, "bridge") == RECORDS);
                if (count(events, "bridge") == RECORDS) {
                    break;
                }
                Thread.sleep(rnd.nextInt(600)); // somewhere inside the next batches
            } finally {
                cluster.kill(gw);
            }
            kills++;
            last = count(events, "bridge");
            log.add("kill " + kills + " at " + last + " events");
        }
        allowed.set(RECORDS);
        producer.join(120_000);
        assertThat(produceError.get()).as("producer").isNull();

        ProcessCluster.GatewayProcess gw = startBridge("gw-last");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(events, "bridge") >= RECORDS);
            // A sentinel behind the last record in every partition: once all are applied, the consumer has stored
            // offsets past every record, so nothing before them can be replayed later; the counts are final.
            produceSentinels("exact.bridge");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> events.count("bridge", "sentinel") == PARTITIONS);
            assertExact(events, "bridge", "seed " + seed + ", " + log);
            assertThat(kills).as("the bridge was killed mid-stream at least twice (%s)", log).isGreaterThanOrEqualTo(2);
            System.out.println("KafkaExactOnceIT: seed " + seed + ", " + log);
        } finally {
            cluster.kill(gw);
        }
    }

    @Test
    void killingAServerNodeDuringKafkaIngestKeepsCountsExact() throws Exception {
        define("nodekill");
        AtomicReference<Throwable> produceError = new AtomicReference<>();
        EventStore events = new EventStore(cluster.client());
        HearthGateway gateway = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0), Clock.systemUTC())
            .start();
        KafkaBridge bridge = new KafkaBridge(KafkaBridge.Settings.defaults(broker.bootstrap()).withGroup("nodekill")
            .withMaxPollRecords(700), gateway.ingest()).start();
        String report;
        try {
            Thread producer = produce("exact.nodekill", produceError, () -> RECORDS);
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> count(events, "nodekill") >= RECORDS / 4);
            long atKill = count(events, "nodekill");
            cluster.kill("n1");
            cluster.awaitServers(2);
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(events, "nodekill") >= RECORDS);
            producer.join(120_000);
            assertThat(produceError.get()).as("producer").isNull();
            report = "node n1 killed at " + atKill + " of " + RECORDS + " events";
            assertExact(events, "nodekill", report);
        } finally {
            bridge.close();
            gateway.close();
        }
        // The killed node comes back with its stale copies: rebalancing must not resurrect or double anything.
        cluster.restart("n1");
        cluster.awaitServers(3);
        cluster.awaitRebalanced();
        assertExact(events, "nodekill", report + ", after it rejoined");
        System.out.println("KafkaExactOnceIT: " + report + "; exact before and after it rejoined");
    }

    private ProcessCluster.GatewayProcess startBridge(String name) {
        return cluster.startGateway(name, "--kafka", broker.bootstrap(), "--kafka-group", "exact", "--kafka-instance-id",
            "gw-1", "--kafka-max-poll-records", "700");
    }

    /**
     * Produces amounts 1..RECORDS (so the sum is known) at about 8k records/s, so kills land while records arrive,
     * never past the number {@code allowed} gives at the time (waiting up to three minutes for it to grow).
     */
    private Thread produce(String topic, AtomicReference<Throwable> error, IntSupplier allowed) throws Exception {
        // Created up front, and produced to once every partition has a leader, one request in flight: on a fresh
        // topic of the dev broker a first batch answered NOT_LEADER_OR_FOLLOWER was retried behind later ones and the
        // producer then retried OUT_OF_ORDER_SEQUENCE_NUMBER for minutes.
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        try (Admin kafkaAdmin = Admin.create(ap)) {
            kafkaAdmin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
            Awaitility.await("leaders of " + topic).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> kafkaAdmin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
        Thread producer = new Thread(() -> {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            try (KafkaProducer<String, String> kp = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                long t0 = System.currentTimeMillis();
                for (int i = 1; i <= RECORDS; i++) {
                    long holdUntil = System.currentTimeMillis() + 180_000;
                    while (i > allowed.getAsInt()) {
                        kp.flush();
                        if (System.currentTimeMillis() > holdUntil) {
                            throw new IllegalStateException("held back at record " + i + " for three minutes");
                        }
                        Thread.sleep(20); // the test has not let more through yet
                    }
                    String thing = "t" + (i % ENTITIES);
                    kp.send(new ProducerRecord<>(topic, thing, "{\"thing_id\":\"" + thing + "\",\"amount\":" + i
                        + ",\"ts\":" + (t0 - RECORDS + i) + "}"));
                    if (i % 2000 == 0) {
                        kp.flush();
                        Thread.sleep(250); // the producer's pace, not a test wait
                    }
                }
                kp.flush();
            } catch (Throwable t) {
                error.set(t);
            }
        }, "producer-" + topic);
        producer.start();
        return producer;
    }

    /** One record of entity {@code sentinel} at the end of each partition of the topic. */
    private void produceSentinels(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> kp = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int part = 0; part < PARTITIONS; part++) {
                kp.send(new ProducerRecord<>(topic, part, "sentinel", "{\"thing_id\":\"sentinel\",\"amount\":0,\"ts\":"
                    + System.currentTimeMillis() + "}")).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertExact(EventStore events, String source, String context) {
        assertThat(count(events, source)).as(context).isEqualTo(RECORDS);
        long sum = 0;
        for (EntityEvents e : events.read(source, things(), Long.MIN_VALUE + 1, Long.MAX_VALUE).values()) {
            EventBlock b = e.events();
            Column amount = b.column("amount", ColumnType.LONG);
            for (int i = 0; i < b.size(); i++) {
                sum += amount.longAt(i);
            }
        }
        assertThat(sum).as(context).isEqualTo((long) RECORDS * (RECORDS + 1) / 2);
    }

    private static List<String> things() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            out.add("t" + i);
        }
        return out;
    }

    private static long count(EventStore events, String source) {
        long n = 0;
        for (int i = 0; i < ENTITIES; i++) {
            n += events.count(source, "t" + i);
        }
        return n;
    }
}
