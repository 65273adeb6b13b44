package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventReads.EntityEvents;
import io.hearth.gateway.HearthGateway;
import io.hearth.gateway.kafka.DevBroker;
import io.hearth.node.EventStore;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact effect of the Kafka bridge across crashes: a gateway process consuming a 4-partition topic is killed with
 * -9 at random moments while records are produced, and restarted; in the end every record is applied exactly once
 * (count and sum exact), for a source without an id field, where only the records' Kafka places tell replays apart.
 */
class KafkaExactOnceIT {
    static final int RECORDS = 40_000;
    static final int ENTITIES = 100;
    @TempDir
    Path dir;

    @Test
    void killingTheBridgeWithSigkillNeverLosesOrDoublesARecord() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        String topic = "exact.events";
        NodeSettings ns = TestNodes.single(dir.resolve("node"));
        try (DevBroker broker = DevBroker.start(dir.resolve("kafka"), TestNodes.freePort(), TestNodes.freePort(), 4);
             HearthNode node = new HearthNode(ns).start();
             HearthGateway admin = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(0), Clock.systemUTC())
                 .start()) {
            HttpClient http = HttpClient.newHttpClient();
            String yaml = """
                project: exact
                entities: [{name: thing, join_keys: [thing_id]}]
                sources:
                  - name: events
                    entity: thing
                    timestamp_field: ts
                    schema: {thing_id: string, amount: long, ts: timestamp}
                    streams: {kafka: {topic: %s}}
                """.formatted(topic);
            HttpResponse<String> applied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port()
                + "/v1/registry")).header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(yaml))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);

            // Records are produced while the bridge is killed and restarted; amounts 1..N, so the sum is known.
            AtomicReference<Throwable> produceError = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                p.put(ProducerConfig.ACKS_CONFIG, "all");
                p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
                try (KafkaProducer<String, String> kp = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                    long t0 = System.currentTimeMillis();
                    for (int i = 1; i <= RECORDS; i++) {
                        String thing = "t" + (i % ENTITIES);
                        kp.send(new ProducerRecord<>(topic, thing, "{\"thing_id\":\"" + thing + "\",\"amount\":" + i
                            + ",\"ts\":" + (t0 - RECORDS + i) + "}"));
                        if (i % 2000 == 0) {
                            kp.flush();
                            Thread.sleep(250); // about 8k records/s, so kills land while records arrive
                        }
                    }
                    kp.flush();
                } catch (Throwable t) {
                    produceError.set(t);
                }
            }, "producer");
            producer.start();

            EventStore events = new EventStore(node.ignite());
            long last = 0;
            int kills = 0;
            List<String> log = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                Process gw = startGateway(ns, broker, round);
                try {
                    long before = last;
                    Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .until(() -> count(events) > before || count(events) == RECORDS);
                    if (count(events) == RECORDS) {
                        break;
                    }
                    Thread.sleep(rnd.nextInt(600)); // somewhere inside the next batches
                } finally {
                    gw.destroyForcibly(); // SIGKILL
                    gw.waitFor(30, TimeUnit.SECONDS);
                }
                kills++;
                last = count(events);
                log.add("kill " + kills + " at " + last + " events");
            }
            producer.join(120_000);
            assertThat(produceError.get()).as("producer").isNull();

            Process gw = startGateway(ns, broker, 99);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(events) >= RECORDS);
                Thread.sleep(2000); // anything replayed late would show now
                assertThat(count(events)).as("seed %d, %s", seed, log).isEqualTo(RECORDS);
                long sum = 0;
                List<String> things = new ArrayList<>();
                for (int i = 0; i < ENTITIES; i++) {
                    things.add("t" + i);
                }
                for (Map.Entry<String, EntityEvents> e : events.read("events", things, Long.MIN_VALUE + 1, Long.MAX_VALUE)
                    .entrySet()) {
                    EventBlock b = e.getValue().events();
                    for (int i = 0; i < b.size(); i++) {
                        sum += (Long) b.row(i).get("amount");
                    }
                }
                assertThat(sum).as("seed %d, %s", seed, log).isEqualTo((long) RECORDS * (RECORDS + 1) / 2);
                assertThat(kills).as("the bridge was killed mid-stream at least twice (%s)", log).isGreaterThanOrEqualTo(2);
                System.out.println("KafkaExactOnceIT: seed " + seed + ", " + log);
            } finally {
                gw.destroyForcibly();
                gw.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static long count(EventStore events) {
        long n = 0;
        for (int i = 0; i < ENTITIES; i++) {
            n += events.count("events", "t" + i);
        }
        return n;
    }

    private Process startGateway(NodeSettings ns, DevBroker broker, int round) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + Path.of("../config/jvm.options").toAbsolutePath());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.hearth.gateway.cli.HearthCli");
        cmd.addAll(List.of("gateway", "--peers", "127.0.0.1:" + ns.discoveryPort(), "--port", "0",
            "--kafka", broker.bootstrap(), "--kafka-group", "exact", "--kafka-instance-id", "gw-1",
            "--kafka-max-poll-records", "700"));
        File out = dir.resolve("gateway-" + round + ".log").toFile();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.isAlive()) {
            throw new AssertionError("gateway exited: " + Files.readString(out.toPath()));
        }
        return p;
    }
}
