package io.hearth.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.time.Timestamps;
import io.hearth.devkafka.DevBroker;
import io.hearth.gateway.Harness;
import io.hearth.ingest.Breakers;
import io.hearth.node.TestNodes;
import io.hearth.node.store.EventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expectations over windows on the Kafka path, against a real KRaft broker and a real node (docs/semantics.md, "Data
 * quality"): clean windows and a control window with 0.5% nulls pass; a window with 3% nulls in a {@code block} column
 * opens the breaker with the expectation as its reason, the poll holding it is held back whole and the consumer pauses
 * (HTTP into the source answers 503); after a reset the backlog is applied, every record exactly once, its failures
 * recorded as {@code warn}, and the breaker stays closed while the stream goes on.
 *
 * <p>Every record goes to one partition (one key), so the gateway observes them in the order produced and its windows
 * are the windows this test produces. Record {@code i} is payment {@code P<i>}: a window is 1,000 consecutive ids.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaQualityIT {
    static final long NOW = Timestamps.parse("2026-06-01T00:00:00Z");
    static final String SOURCE = "payments";
    static final int ACCOUNTS = 50;
    static final String YAML = """
        project: kq
        entities:
          - name: account
            join_keys: [account_id]
        sources:
          - name: payments
            entity: account
            timestamp_field: event_ts
            schema:
              account_id: string
              payment_id: string
              event_ts: timestamp
              amount: double
              country: string
            streams: {kafka: {topic: %s}}
            expectations:
              window: 1000
              columns:
                amount:
                  - {expect: not_null, mostly: 0.99, severity: block}
                  - {expect: between, min: 0, max: 10000, mostly: 0.999}
                country:
                  - {expect: in_set, values: [US, DE, FR], mostly: 0.98}
                payment_id:
                  - {expect: unique}
        feature_views:
          - name: spend
            entity: account
            source: payments
            features:
              - {name: last_amount, column: amount}
        """;

    @TempDir
    static Path dir;
    static DevBroker broker;
    static KafkaProducer<String, String> producer;
    static Harness h;
    static String topic;
    /** Records produced so far; the next one is payment {@code P<produced>}. */
    static int produced;

    @BeforeAll
    static void start() {
        broker = DevBroker.start(dir.resolve("kafka"), TestNodes.freePort(), TestNodes.freePort(), 2);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Records of one send() call leave as one batch on flush: a poll of the gateway returns them in full.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "60000");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        topic = "payments-" + UUID.randomUUID();
        KafkaBridge.Settings kafka = new KafkaBridge.Settings(broker.bootstrap(), "g-" + UUID.randomUUID(), 500,
            Duration.ofMillis(200), null, true);
        h = new Harness(dir.resolve("node"), NOW, 1L << 30, s -> s.withBreakers(Breakers.Settings.defaults())).with(g -> {
            KafkaBridge bridge = new KafkaBridge(kafka, g.ingest()).start();
            g.feeds(bridge);
            return bridge;
        }).start();
        Harness.Response r = h.applyYaml(YAML.formatted(topic));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ------------------------------------------------------------------ records

    /** One payment; without an amount when {@code nullAmount}. */
    static String payment(int id, boolean nullAmount) {
        StringBuilder b = new StringBuilder("{\"account_id\":\"A").append(id % ACCOUNTS).append("\",\"payment_id\":\"P")
            .append(id).append("\",\"event_ts\":").append(NOW - 60_000 + id % 1000).append(",\"country\":\"")
            .append(new String[] {"US", "DE", "FR"}[id % 3]).append('"');
        if (!nullAmount) {
            b.append(",\"amount\":").append(10 + id % 80);
        }
        return b.append('}').toString();
    }

    /**
     * Produces the next {@code n} payments, the last {@code nulls} of them without an amount, as one batch of the
     * topic's partition; returns when the broker has them all.
     */
    static void produce(int n, int nulls) throws Exception {
        List<Future<?>> sent = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, "k", payment(produced++, i >= n - nulls))));
        }
        producer.flush();
        for (Future<?> f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    /** The payment ids stored for the source, one per stored event (a record stored twice shows twice). */
    static List<String> storedIds() {
        List<String> accounts = IntStream.range(0, ACCOUNTS).mapToObj(i -> "A" + i).toList();
        Map<String, EventReads.EntityEvents> read = new EventStore(h.node.ignite()).read(SOURCE, accounts,
            Long.MIN_VALUE + 1, Long.MAX_VALUE);
        List<String> ids = new ArrayList<>();
        for (EventReads.EntityEvents ev : read.values()) {
            EventBlock b = ev == null ? null : ev.events();
            for (int i = 0; b != null && i < b.size(); i++) {
                ids.add(String.valueOf(b.row(i).get("payment_id")));
            }
        }
        return ids;
    }

    static int stored() {
        return storedIds().size();
    }

    static JsonNode source() {
        Harness.Response r = h.get("/v1/sources/" + SOURCE);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static List<JsonNode> results(String query) {
        Harness.Response r = h.get("/v1/quality/results?source=" + SOURCE + "&" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("results").forEach(out::add);
        return out;
    }

    static List<JsonNode> notNull() {
        return results("column=amount&expect=not_null");
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250));
    }

    /** Waits until the source's consumer has polled {@code n} more times while paused: it ran, and held back. */
    static void awaitPausedPolls(int n) {
        double start = pausedPolls();
        await().until(() -> pausedPolls() >= start + n);
    }

    static double pausedPolls() {
        Matcher m = Pattern.compile("hearth_kafka_polls_total\\{source=\"" + SOURCE + "\",state=\"paused\"} ([0-9.E]+)")
            .matcher(h.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Produces one window of 1,000 payments and waits until they are stored and the window judged. */
    static void window(int nulls) throws Exception {
        h.clock.advance(1000); // each window arrives, and ends, at a time of its own: results come in window order
        int judged = notNull().size();
        produce(1000, nulls);
        await().until(() -> stored() == produced && notNull().size() == judged + 1);
    }

    // ------------------------------------------------------------------ behaviour

    @Test
    @Order(1)
    void cleanWindowsAndAControlWindowWithHalfAPercentOfNullsPass() throws Exception {
        for (int w = 0; w < 5; w++) {
            window(0);
        }
        window(5);
        List<JsonNode> nn = notNull();
        assertThat(nn.stream().map(x -> x.get("unexpected_count").asLong()).toList()).as(nn.toString())
            .containsExactly(0L, 0L, 0L, 0L, 0L, 5L);
        assertThat(nn).allSatisfy(x -> {
            assertThat(x.get("success").asBoolean()).isTrue();
            assertThat(x.get("element_count").asLong()).isEqualTo(1000);
            assertThat(x.get("severity").asText()).isEqualTo("block");
        });
        assertThat(nn.get(5).get("observed").asDouble()).isEqualTo(0.995);
        assertThat(results("expect=unique")).hasSize(6).allSatisfy(x -> assertThat(x.get("success").asBoolean()).isTrue());
        assertThat(results("expect=in_set")).hasSize(6);
        assertThat(results("expect=between")).hasSize(6);
        JsonNode s = source();
        assertThat(s.at("/breaker/state").asText()).isEqualTo("CLOSED");
        assertThat(s.at("/kafka/status").asText()).isEqualTo("consuming");
        assertThat(s.at("/ingest/accepted").asLong()).isEqualTo(6000);
    }

    @Test
    @Order(2)
    void aWindowWithThreePercentNullsOpensTheBreakerAndItsPollIsHeldBackWithTheConsumerPaused() throws Exception {
        h.clock.advance(1000);
        int failingFrom = produced;
        produce(1000, 30);     // 3% nulls, the last 30 of the window
        produce(300, 0);       // clean records after it, in the same partition
        int failingLast = failingFrom + 999;

        await().until(() -> source().at("/breaker/state").asText().equals("OPEN"));
        JsonNode s = source();
        assertThat(s.at("/breaker/reason").asText()).contains("expectation not_null on column amount");
        awaitPausedPolls(3);
        int held = stored();
        double accepted = source().at("/ingest/accepted").asDouble();
        awaitPausedPolls(5); // polled while paused: nothing more applied
        List<String> ids = storedIds();
        assertThat(ids).hasSize(held);
        assertThat(source().at("/ingest/accepted").asDouble()).isEqualTo(accepted);
        assertThat(source().at("/kafka/status").asText()).startsWith("paused");
        // The poll holding the window's last record is held back whole: neither it nor anything after it is stored.
        assertThat(held).isBetween(failingFrom, failingLast);
        assertThat(ids).doesNotContain("P" + failingLast, "P" + (failingLast + 1), "P" + (produced - 1));
        assertThat(ids).doesNotHaveDuplicates();

        List<JsonNode> failed = results("column=amount&expect=not_null&success=false");
        assertThat(failed).as(failed.toString()).hasSize(1);
        JsonNode f = failed.get(0);
        assertThat(f.get("unexpected_count").asLong()).isEqualTo(30);
        assertThat(f.get("element_count").asLong()).isEqualTo(1000);
        assertThat(f.get("observed").asDouble()).isEqualTo(0.97);
        assertThat(f.get("severity").asText()).isEqualTo("block");
        assertThat(notNull()).hasSize(7);

        Harness.Response refused = h.ndjson(SOURCE, payment(1_000_000, false) + "\n");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("code").asText()).isEqualTo("HEARTH-INGEST-1");
        assertThat(refused.json().get("rule").asText()).isEqualTo("breaker.open");
        assertThat(refused.body()).contains("expectation not_null on column amount failed");
        assertThat(storedIds()).hasSize(held).doesNotContain("P1000000");
    }

    @Test
    @Order(3)
    void afterAResetTheBacklogIsStoredOnceItsFailuresAreWarningsAndTheBreakerStaysClosed() throws Exception {
        h.clock.advance(1000); // the backlog's windows end after the failing one
        JsonNode reset = h.postJson("/v1/sources/" + SOURCE + "/breaker/reset", "{}").json();
        assertThat(reset.at("/breaker/state").asText()).isEqualTo("CLOSED");
        await().until(() -> stored() == produced);

        // The stream goes on: its windows are judged again, and what the backlog let through does not trip them.
        h.clock.advance(1000);
        produce(2000, 0);
        await().until(() -> stored() == produced || source().at("/breaker/state").asText().equals("OPEN"));
        JsonNode s = source();
        assertThat(s.at("/breaker/state").asText()).as(s.toString() + " " + notNull()).isEqualTo("CLOSED");
        assertThat(s.at("/breaker/trips").asLong()).isEqualTo(1);
        await().until(() -> source().at("/kafka/lag").asLong(-1) == 0);
        assertThat(source().at("/kafka/status").asText()).isEqualTo("consuming");

        List<String> ids = storedIds();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < produced; i++) {
            expected.add("P" + i);
        }
        assertThat(ids).as("every record produced, stored once").hasSize(produced).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(expected);

        List<JsonNode> nn = notNull();
        assertThat(nn.stream().filter(x -> !x.get("success").asBoolean() && x.get("severity").asText().equals("block")))
            .as("the failing window, once: " + nn).hasSize(1)
            .allSatisfy(x -> assertThat(x.get("unexpected_count").asLong()).isEqualTo(30));
        List<JsonNode> after = nn.subList(7, nn.size());
        assertThat(after).as("windows judged after the reset: " + nn).isNotEmpty();
        assertThat(after).filteredOn(x -> !x.get("success").asBoolean())
            .allSatisfy(x -> assertThat(x.get("severity").asText()).isEqualTo("warn"));
        assertThat(after).as("a window of the stream after the backlog is judged with its own severity: " + nn)
            .anySatisfy(x -> {
                assertThat(x.get("success").asBoolean()).isTrue();
                assertThat(x.get("severity").asText()).isEqualTo("block");
            });
        assertThat(h.ndjson(SOURCE, payment(produced, false) + "\n").status()).isEqualTo(200);
    }
}
