package io.hearth.connectors.kafka;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Expectation;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.testing.ManualClock;
import io.hearth.ingest.BreakerStore;
import io.hearth.ingest.Breakers;
import io.hearth.ingest.IngestPipeline;
import io.hearth.quality.Quality;
import io.hearth.quality.QualityGate;
import io.hearth.quality.QualityResult;
import io.hearth.quality.WindowMonitor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka consumer's batch logic, one loop turn at a time on the test's thread: kafka-clients' MockConsumer and
 * MockProducer stand in for the broker, in-memory fakes for the cluster's event, quarantine, breaker and offset
 * stores. The source is the demo's {@code orders} (topic {@code shop.orders}, quarantine threshold 0.05).
 */
class SourceConsumerTest {
    private static final String TOPIC = "shop.orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final long T0 = 1_700_000_000_000L;
    private static final Definitions DEFS = DefinitionsParser.parse("definitions.yaml", demo());

    private static String demo() {
        try {
            return Files.readString(Path.of("../config/demo/definitions.yaml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What happened to the stores, in order: "events", "quarantine", "offsets". */
    // Written by a pipelined consumer's writer thread: synchronized.
    private final List<String> journal = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, EventBlock>> written = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<QuarantinedRecord> quarantined = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Long> storedOffsets = java.util.Collections.synchronizedMap(new TreeMap<>());
    /** Whether the consumer under test reads its next poll while the previous is written (off: one turn, one batch). */
    private boolean pipelined;
    private final Map<String, BreakerState> breakerStates = new HashMap<>();
    private RuntimeException eventWriteFailure;

    private final ManualClock clock = new ManualClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final MockProducer<byte[], byte[]> dlq = new MockProducer<>(true, new ByteArraySerializer(),
        new ByteArraySerializer());
    private final List<Properties> consumerProperties = new ArrayList<>();
    private Breakers breakers;
    private SourceConsumer source;

    private final IngestPipeline.EventSink events = (s, byEntity, places) -> {
        if (eventWriteFailure != null) {
            throw eventWriteFailure;
        }
        journal.add("events");
        written.add(byEntity);
    };

    private final IngestPipeline.QuarantineSink quarantine = records -> {
        journal.add("quarantine");
        quarantined.addAll(records);
    };

    private final IngestPipeline.Ledger ledger = new IngestPipeline.Ledger() {
        @Override
        public long[] acceptedUnder(String s, String key) {
            throw new AssertionError("Kafka batches use no idempotency key");
        }

        @Override
        public void addAccepted(String s, String key, long[] ranges) {
            throw new AssertionError("Kafka batches use no idempotency key");
        }
    };

    private final BreakerStore breakerStore = new BreakerStore() {
        @Override
        public BreakerState breaker(String s) {
            return breakerStates.getOrDefault(s, BreakerState.initial());
        }

        @Override
        public BreakerState updateBreaker(String s, UnaryOperator<BreakerState> change) {
            BreakerState next = change.apply(breaker(s));
            breakerStates.put(s, next);
            return next;
        }
    };

    private final OffsetStore offsets = new OffsetStore() {
        @Override
        public Map<Integer, Long> offsets(String group, String topic, Set<Integer> partitions) {
            assertThat(group).isEqualTo("hearth");
            assertThat(topic).isEqualTo(TOPIC);
            Map<Integer, Long> out = new HashMap<>();
            partitions.forEach(p -> {
                if (storedOffsets.containsKey(p)) {
                    out.put(p, storedOffsets.get(p));
                }
            });
            return out;
        }

        @Override
        public void storeOffsets(String group, String topic, Map<Integer, Long> next) {
            assertThat(group).isEqualTo("hearth");
            assertThat(topic).isEqualTo(TOPIC);
            journal.add("offsets " + new TreeMap<>(next) + " after " + dlq.history().size() + " dead letters");
            storedOffsets.putAll(next);
        }
    };

    @BeforeEach
    void setUp() {
        useBreakers(new Breakers.Settings(1000, 100, Duration.ofMinutes(1)));
    }

    /** Builds the consumer with these breaker settings, subscribed and assigned partitions 0 and 1. */
    private void useBreakers(Breakers.Settings settings) {
        breakers = new Breakers(breakerStore, settings, clock, meters);
        IngestPipeline pipeline = new IngestPipeline(() -> DEFS, events, quarantine, ledger, clock, meters);
        source = new SourceConsumer(KafkaBridge.Settings.defaults("mock:9092").withPipelining(pipelined), "orders", TOPIC,
            () -> DEFS, pipeline,
            offsets, breakers, p -> {
                consumerProperties.add(p);
                return consumer;
            }, dlq, meters);
        source.subscribe(consumer);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.rebalance(List.of(P0, P1));
    }

    // ------------------------------------------------------------------ records

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String good(String customer, String order) {
        return "{\"customer_id\": \"" + customer + "\", \"order_id\": \"" + order + "\", \"amount\": 12.5, "
            + "\"channel\": \"web\", \"event_ts\": \"2024-01-02T03:04:05Z\"}";
    }

    /** A good order for customer {@code c<offset>}, order {@code p<partition>-<offset>}. */
    private void addGood(TopicPartition tp, long offset) {
        add(tp, offset, null, good("c" + offset, "p" + tp.partition() + "-" + offset));
    }

    private void add(TopicPartition tp, long offset, String key, String value) {
        consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, bytes(key), bytes(value)));
    }

    private static final String SCHEMA_BAD = "{\"customer_id\": \"c1\", \"order_id\": \"x1\", \"amount\": \"ten\", "
        + "\"channel\": \"web\", \"event_ts\": \"2024-01-02T03:04:05Z\"}";
    private static final String CONTRACT_BAD = "{\"customer_id\": \"c1\", \"order_id\": \"x2\", \"amount\": 5, "
        + "\"channel\": \"fax\", \"event_ts\": \"2024-01-02T03:04:05Z\"}";
    private static final String NOT_JSON = "{\"customer_id\": \"c1\", oops";

    /** The written events as "entity/order_id", in write order. */
    private List<String> writtenOrders() {
        List<String> out = new ArrayList<>();
        for (Map<String, EventBlock> byEntity : written) {
            new TreeMap<>(byEntity).forEach((entity, block) -> {
                for (int i = 0; i < block.size(); i++) {
                    out.add(entity + "/" + block.row(i).get("order_id"));
                }
            });
        }
        return out;
    }

    /** Quarantined records as "origin@index field rule". */
    private List<String> quarantinedPlaces() {
        return quarantined.stream().map(q -> q.origin() + "@" + q.rowIndex() + " " + q.field() + " " + q.rule()).toList();
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private List<String> deadLetters() {
        return dlq.history().stream().map(r -> r.topic() + " " + header(r, "hearth.original.partition") + "@"
            + header(r, "hearth.original.offset") + " " + header(r, "hearth.error.field") + " "
            + header(r, "hearth.error.rule")).toList();
    }

    private Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> out = new HashMap<>();
        consumer.committed(Set.of(P0, P1)).forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    private void assertNothingApplied() {
        assertThat(written).as("events written").isEmpty();
        assertThat(quarantined).as("records quarantined").isEmpty();
        assertThat(dlq.history()).as("dead letters").isEmpty();
        assertThat(storedOffsets).as("offsets stored").isEmpty();
        assertThat(committed()).as("offsets committed").isEmpty();
    }

    // ------------------------------------------------------------------ a batch

    @Test
    void aMixedBatchWritesTheGoodRecordsQuarantinesAndDeadLettersTheBadOnesThenStoresTheNextOffsets() {
        addGood(P0, 0);
        add(P0, 1, null, SCHEMA_BAD);
        addGood(P0, 2);
        add(P0, 3, "c3", null);
        add(P1, 0, null, CONTRACT_BAD);
        add(P1, 1, null, NOT_JSON);
        add(P1, 2, null, "[1, 2]");
        addGood(P1, 3);

        assertThat(source.turn()).isZero();

        assertThat(writtenOrders()).containsExactlyInAnyOrder("c0/p0-0", "c2/p0-2", "c3/p1-3");
        assertThat(quarantinedPlaces()).containsExactlyInAnyOrder(
            "kafka:shop.orders/0@1 amount schema.type",
            "kafka:shop.orders/0@3 null kafka.no_value",
            "kafka:shop.orders/1@0 channel contract.allowed",
            "kafka:shop.orders/1@1 null json.syntax",
            "kafka:shop.orders/1@2 null json.not_object");
        assertThat(deadLetters()).containsExactlyInAnyOrder(
            "shop.orders.dlq 0@1 amount schema.type",
            "shop.orders.dlq 0@3 null kafka.no_value",
            "shop.orders.dlq 1@0 channel contract.allowed",
            "shop.orders.dlq 1@1 null json.syntax",
            "shop.orders.dlq 1@2 null json.not_object");
        // Events and quarantine are durable, and every dead letter acknowledged, before the offsets are stored.
        assertThat(journal).hasSize(3);
        assertThat(journal.subList(0, 2)).containsExactlyInAnyOrder("events", "quarantine");
        assertThat(journal.get(2)).isEqualTo("offsets {0=4, 1=4} after 5 dead letters");
        assertThat(committed()).isEqualTo(Map.of(P0, 4L, P1, 4L));
        assertThat(source.partitions()).containsOnlyKeys(0, 1);
        assertThat(source.partitions().get(0)[0]).isEqualTo(4);
        assertThat(source.status()).isEqualTo("consuming");
        assertThat(source.lastError()).isNull();
    }

    @Test
    void aDeadLetterCarriesTheRuleTheRecordsPlaceAndItsOwnHeaders() {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, 7, bytes("c1"), bytes(CONTRACT_BAD)));
        consumer.updateBeginningOffsets(Map.of(P1, 7L));
        ConsumerRecord<byte[], byte[]> withHeader = new ConsumerRecord<>(TOPIC, 1, 8, bytes("c1"), bytes(SCHEMA_BAD));
        withHeader.headers().add("trace", bytes("t-42"));
        consumer.addRecord(withHeader);
        add(P1, 9, "c9", null);

        source.turn();

        List<ProducerRecord<byte[], byte[]>> sent = dlq.history();
        assertThat(sent).hasSize(3);
        ProducerRecord<byte[], byte[]> contract = sent.get(0);
        assertThat(contract.topic()).isEqualTo("shop.orders.dlq");
        assertThat(contract.partition()).as("partitioned by key, like the original").isNull();
        assertThat(new String(contract.key(), StandardCharsets.UTF_8)).isEqualTo("c1");
        assertThat(new String(contract.value(), StandardCharsets.UTF_8)).isEqualTo(CONTRACT_BAD);
        assertThat(header(contract, "hearth.error.rule")).isEqualTo("contract.allowed");
        assertThat(header(contract, "hearth.error.field")).isEqualTo("channel");
        assertThat(header(contract, "hearth.error.message")).isEqualTo("'channel' is \"fax\", not one of [web, store, app]");
        assertThat(header(contract, "hearth.source")).isEqualTo("orders");
        assertThat(header(contract, "hearth.original.topic")).isEqualTo(TOPIC);
        assertThat(header(contract, "hearth.original.partition")).isEqualTo("1");
        assertThat(header(contract, "hearth.original.offset")).isEqualTo("7");
        assertThat(header(sent.get(1), "trace")).as("the record's own headers are kept").isEqualTo("t-42");
        assertThat(header(sent.get(1), "hearth.error.rule")).isEqualTo("schema.type");
        ProducerRecord<byte[], byte[]> tombstone = sent.get(2);
        assertThat(tombstone.value()).isNull();
        assertThat(header(tombstone, "hearth.error.rule")).isEqualTo("kafka.no_value");
        assertThat(tombstone.headers().lastHeader("hearth.error.field")).as("no field to blame").isNull();
        assertThat(header(tombstone, "hearth.error.message")).isEqualTo("the record has no value (a tombstone)");
        assertThat(quarantined.get(2).raw()).isEmpty();
    }

    @Test
    void theRecordKeyIsTheEntityKeyWhenTheValueHasNone() {
        add(P0, 0, "c-from-key", "{\"order_id\": \"o1\", \"amount\": 1, \"event_ts\": \"2024-01-02T03:04:05Z\"}");
        add(P0, 1, "c-from-key", good("c-in-value", "o2"));
        add(P0, 2, null, "{\"order_id\": \"o3\", \"amount\": 1, \"event_ts\": \"2024-01-02T03:04:05Z\"}");

        source.turn();

        assertThat(writtenOrders()).containsExactlyInAnyOrder("c-from-key/o1", "c-in-value/o2");
        assertThat(quarantinedPlaces()).containsExactly("kafka:shop.orders/0@2 customer_id schema.required");
    }

    @Test
    void aBatchWithOnlyBadRecordsStillStoresItsOffsets() {
        add(P0, 0, null, NOT_JSON);

        source.turn();

        assertThat(writtenOrders()).isEmpty();
        assertThat(quarantined).hasSize(1);
        assertThat(storedOffsets).isEqualTo(Map.of(0, 1L));
    }

    @Test
    void assignedPartitionsStartAtTheOffsetsStoredInTheCluster() {
        consumer.rebalance(List.of());
        storedOffsets.put(0, 42L);
        consumer.rebalance(List.of(P0, P1));
        assertThat(consumer.position(P0)).isEqualTo(42);
        assertThat(source.partitions()).isEmpty(); // lag is known after the first poll
        source.turn();
        assertThat(source.partitions().get(0)[0]).isEqualTo(42);
        assertThat(source.partitions().get(1)[0]).as("nothing applied yet").isEqualTo(-1);
    }

    @Test
    void theKafkaConsumerCommitsNothingByItselfAndReadsOnlyCommittedRecords() {
        Properties p = source.properties();
        assertThat(p.get(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("hearth");
        assertThat(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(p.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
        assertThat(p.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(p.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("5000");
        assertThat(p.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isNull();
        assertThat((String) p.get(ConsumerConfig.CLIENT_ID_CONFIG)).startsWith("hearth-orders-");
    }

    @Test
    void saslAndTlsSettingsReachTheConsumerButHearthsOwnCannotBeReplaced() {
        KafkaBridge.Settings secured = KafkaBridge.Settings.defaults("mock:9093").withClientProperties(Map.of(
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/kafka/ca.p12"));
        SourceConsumer c = new SourceConsumer(secured, "orders", TOPIC, () -> DEFS, new IngestPipeline(() -> DEFS, events,
            quarantine, ledger, clock, meters), offsets, breakers, p -> consumer, dlq, new SimpleMeterRegistry());
        Properties p = c.properties();
        assertThat(p.get("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.get("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.get("ssl.truststore.location")).isEqualTo("/etc/kafka/ca.p12");
        assertThat(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> secured.withClientProperties(Map.of("enable.auto.commit",
            "true"))).hasMessageContaining("'enable.auto.commit' is Hearth's to set");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aWriteFailureStoresNoOffsetSendsNoDeadLetterAndSeeksBackWithAGrowingBackoff() {
        consumer.updateBeginningOffsets(Map.of(P0, 5L, P1, 0L));
        eventWriteFailure = new IllegalStateException("grid unavailable");
        for (long expectedBackoff : new long[] {200, 400, 800}) {
            addGood(P0, 5);
            add(P0, 6, null, SCHEMA_BAD);
            addGood(P1, 0);
            assertThat(source.turn()).isEqualTo(expectedBackoff);
            assertThat(written).isEmpty();
            assertThat(dlq.history()).isEmpty();
            assertThat(storedOffsets).isEmpty();
            assertThat(committed()).isEmpty();
            assertThat(consumer.position(P0)).as("sought back to the batch's first record").isEqualTo(5);
            assertThat(consumer.position(P1)).isEqualTo(0);
            assertThat(source.status()).startsWith("retrying after an error: ").contains("grid unavailable");
            assertThat(source.lastError()).contains("grid unavailable");
        }

        eventWriteFailure = null;
        addGood(P0, 5);
        add(P0, 6, null, SCHEMA_BAD);
        addGood(P1, 0);
        assertThat(source.turn()).isZero();
        assertThat(writtenOrders()).containsExactlyInAnyOrder("c5/p0-5", "c0/p1-0");
        assertThat(storedOffsets).isEqualTo(Map.of(0, 7L, 1, 1L));
        assertThat(source.lastError()).isNull();

        eventWriteFailure = new IllegalStateException("grid unavailable");
        addGood(P0, 7);
        assertThat(source.turn()).as("the backoff starts over after a success").isEqualTo(200);
    }

    @Test
    void aDeadLetterTheBrokerRefusesStoresNoOffsetAndSeeksBack() {
        dlq.sendException = new KafkaException("dlq topic unavailable");
        addGood(P0, 0);
        add(P0, 1, null, NOT_JSON);

        assertThat(source.turn()).isEqualTo(200);

        assertThat(writtenOrders()).as("written, and dropped as duplicates when the batch comes again")
            .containsExactly("c0/p0-0");
        assertThat(storedOffsets).isEmpty();
        assertThat(committed()).isEmpty();
        assertThat(consumer.position(P0)).isZero();
        assertThat(source.lastError()).contains("dlq topic unavailable");
    }

    @Test
    void aDeadLetterNotAcknowledgedStoresNoOffsetAndSeeksBack() {
        MockProducer<byte[], byte[]> unacknowledged = new MockProducer<>(false, new ByteArraySerializer(),
            new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                while (errorNext(new KafkaException("not acknowledged"))) {
                    // every send waiting fails
                }
            }
        };
        source = new SourceConsumer(KafkaBridge.Settings.defaults("mock:9092").withPipelining(false), "orders", TOPIC,
            () -> DEFS,
            new IngestPipeline(() -> DEFS, events, quarantine, ledger, clock, meters), offsets, breakers, p -> consumer,
            unacknowledged, new SimpleMeterRegistry());
        source.subscribe(consumer);
        consumer.rebalance(List.of(P0, P1));
        addGood(P0, 0);
        add(P0, 1, null, NOT_JSON);

        assertThat(source.turn()).isEqualTo(200);

        assertThat(unacknowledged.history()).hasSize(1);
        assertThat(storedOffsets).isEmpty();
        assertThat(committed()).isEmpty();
        assertThat(consumer.position(P0)).isZero();
        assertThat(source.lastError()).contains("not acknowledged");
    }

    // ------------------------------------------------------------------ the breaker

    /** 100 records on partition 0 from {@code first}, of which {@code bad} (the first ones) break the contract. */
    private void addBatch(long first, int bad) {
        for (int i = 0; i < 100; i++) {
            if (i < bad) {
                add(P0, first + i, null, CONTRACT_BAD);
            } else {
                addGood(P0, first + i);
            }
        }
    }

    @Test
    void aBatchTheBreakerRefusesIsNotWrittenAndIsHeldBackWithTheConsumerPaused() {
        addBatch(0, 6); // 6% rejected, over the 5% threshold

        assertThat(source.turn()).isZero();

        assertNothingApplied();
        assertThat(consumer.position(P0)).isZero();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        BreakerState b = breakerStore.breaker("orders");
        assertThat(b.isOpen()).isTrue();
        assertThat(b.trips()).isEqualTo(1);
        assertThat(b.reason()).startsWith("reject rate 0.0600 over the last ");

        addBatch(0, 6);
        assertThat(source.turn()).isZero();
        assertThat(source.status()).isEqualTo("paused: circuit breaker open since " + T0);
        assertNothingApplied();
        assertThat(meters.get("hearth.kafka.polls").tag("source", "orders").tag("state", "paused").counter().count())
            .isEqualTo(1);
    }

    @Test
    void aBatchWithinTheThresholdIsApplied() {
        addBatch(0, 5); // 5%: at the threshold, not over it

        source.turn();

        assertThat(written).hasSize(1);
        assertThat(quarantined).hasSize(5);
        assertThat(storedOffsets).isEqualTo(Map.of(0, 100L));
        assertThat(breakerStore.breaker("orders").isOpen()).isFalse();
    }

    @Test
    void whenTheProbeIsDueAGoodBatchClosesTheBreakerAndIsApplied() {
        breakerStates.put("orders", BreakerState.initial().open(T0 - 120_000, 60_000, 0.5, 0.05, "tripped earlier"));
        addGood(P0, 0);
        addGood(P0, 1);
        add(P0, 2, null, NOT_JSON);
        for (int i = 3; i < 40; i++) {
            addGood(P0, i);
        }

        source.turn();

        BreakerState b = breakerStore.breaker("orders");
        assertThat(b.isOpen()).isFalse();
        assertThat(b.reason()).isEqualTo("probe passed: 1 of 40 records rejected");
        assertThat(written).hasSize(1);
        assertThat(storedOffsets).isEqualTo(Map.of(0, 40L));
    }

    @Test
    void whenTheProbeFailsTheBatchIsHeldBackAndTheNextProbeWaitsAnInterval() {
        breakerStates.put("orders", BreakerState.initial().open(T0 - 120_000, 60_000, 0.5, 0.05, "tripped earlier"));
        addGood(P0, 0);
        add(P0, 1, null, NOT_JSON);

        source.turn();
        assertThat(source.status()).isEqualTo("probing (breaker half-open)");

        assertNothingApplied();
        assertThat(consumer.position(P0)).isZero();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        assertThat(breakerStore.breaker("orders").probeAtMillis()).isEqualTo(T0 + 60_000);
        source.turn();
        assertThat(source.status()).startsWith("paused: ");
        clock.set(T0 + 60_000);
        addGood(P0, 0);
        source.turn();
        assertThat(consumer.paused()).as("resumed for the next probe").isEmpty();
        assertThat(storedOffsets).isEqualTo(Map.of(0, 1L));
    }

    // ------------------------------------------------------------------ grace after an operator's reset

    /** The breaker as an operator's reset leaves it, with the topic's end offsets when the consumer sees it. */
    private void resetWithBacklogUpTo(long endOfP0) {
        BreakerState opened = BreakerState.initial().open(T0 - 10_000, 60_000, 0.5, 0.05, "tripped");
        breakerStates.put("orders", opened.close(T0 - 1_000, Breakers.RESET_REASON));
        consumer.updateEndOffsets(Map.of(P0, endOfP0, P1, 0L));
    }

    @Test
    void recordsBeforeTheResetsEndOffsetsAreAppliedWithoutBeingJudged() {
        useBreakers(new Breakers.Settings(100, 5, Duration.ofMinutes(1)));
        resetWithBacklogUpTo(10);
        for (int i = 0; i < 10; i++) {
            add(P0, i, null, NOT_JSON); // the backlog the breaker held: all bad
        }
        for (int i = 10; i < 15; i++) {
            addGood(P0, i);
        }

        source.turn();

        assertThat(quarantined).hasSize(10);
        assertThat(dlq.history()).hasSize(10);
        assertThat(writtenOrders()).hasSize(5);
        assertThat(storedOffsets).isEqualTo(Map.of(0, 15L));
        assertThat(breakerStore.breaker("orders").reason()).as("10 of 15 rejected, but only the 5 new ones judged")
            .isEqualTo(Breakers.RESET_REASON);
    }

    @Test
    void recordsFromTheResetsEndOffsetsOnAreJudged() {
        useBreakers(new Breakers.Settings(100, 5, Duration.ofMinutes(1)));
        resetWithBacklogUpTo(5);
        for (int i = 0; i < 5; i++) {
            addGood(P0, i);
        }
        for (int i = 5; i < 10; i++) {
            add(P0, i, null, NOT_JSON);
        }

        source.turn();

        assertNothingApplied();
        assertThat(breakerStore.breaker("orders").isOpen()).isTrue();
    }

    @Test
    void onlyAnOperatorsResetLetsTheBacklogThroughUnjudged() {
        useBreakers(new Breakers.Settings(100, 5, Duration.ofMinutes(1)));
        BreakerState opened = BreakerState.initial().open(T0 - 10_000, 60_000, 0.5, 0.05, "tripped");
        breakerStates.put("orders", opened.close(T0 - 1_000, "probe passed: 0 of 5 records rejected"));
        consumer.updateEndOffsets(Map.of(P0, 10L, P1, 0L));
        for (int i = 0; i < 10; i++) {
            add(P0, i, null, NOT_JSON);
        }

        source.turn();

        assertNothingApplied();
        assertThat(breakerStore.breaker("orders").isOpen()).isTrue();
    }

    // ------------------------------------------------------------------ randomized

    @Test
    void everyRecordOfARandomBatchIsWrittenOrQuarantinedAndDeadLetteredOnceThenItsOffsetsStored() {
        long seed = Seeds.seed("SourceConsumerTest");
        System.out.println("SourceConsumerTest.everyRecordOfARandomBatchIsWrittenOrQuarantinedAndDeadLetteredOnce"
            + "ThenItsOffsetsStored: seed "
            + seed + " (replay with -Dhearth.seed=" + seed + ")");
        Random rnd = new Random(seed);
        useBreakers(new Breakers.Settings(1000, 1000, Duration.ofMinutes(1))); // never judged: the batch is smaller
        String[] bad = {SCHEMA_BAD, CONTRACT_BAD, NOT_JSON, "[]", "42", null};
        String[] rules = {"schema.type", "contract.allowed", "json.syntax", "json.not_object", "json.not_object",
            "kafka.no_value"};
        long[] start = {rnd.nextInt(1000), rnd.nextInt(1000)};
        consumer.updateBeginningOffsets(Map.of(P0, start[0], P1, start[1]));
        List<String> expectedGood = new ArrayList<>();
        List<String> expectedBad = new ArrayList<>();
        Map<Integer, Long> expectedNext = new TreeMap<>();
        int n = 1 + rnd.nextInt(300);
        long[] next = start.clone();
        for (int i = 0; i < n; i++) {
            int part = rnd.nextInt(2);
            TopicPartition tp = part == 0 ? P0 : P1;
            long offset = next[part]++;
            if (rnd.nextInt(3) == 0) {
                int kind = rnd.nextInt(bad.length);
                add(tp, offset, "k", bad[kind]);
                expectedBad.add("kafka:shop.orders/" + part + "@" + offset + " " + rules[kind]);
            } else {
                addGood(tp, offset);
                expectedGood.add("c" + offset + "/p" + part + "-" + offset);
            }
            expectedNext.put(part, offset + 1);
        }

        assertThat(source.turn()).as("seed %d", seed).isZero();

        assertThat(writtenOrders()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expectedGood);
        assertThat(quarantined.stream().map(q -> q.origin() + "@" + q.rowIndex() + " " + q.rule()).toList())
            .as("seed %d", seed).containsExactlyInAnyOrderElementsOf(expectedBad);
        assertThat(deadLetters().stream().map(d -> d.split(" ")[1] + " " + d.split(" ")[3]).toList()).as("seed %d", seed)
            .containsExactlyInAnyOrderElementsOf(expectedBad.stream().map(b -> b.substring("kafka:shop.orders/".length()))
                .toList());
        assertThat(storedOffsets).as("seed %d", seed).isEqualTo(expectedNext);
        Map<TopicPartition, Long> expectedCommit = new LinkedHashMap<>();
        expectedNext.forEach((p, o) -> expectedCommit.put(p == 0 ? P0 : P1, o));
        assertThat(committed()).as("seed %d", seed).isEqualTo(expectedCommit);
        assertThat(journal.get(journal.size() - 1)).as("seed %d", seed).startsWith("offsets ");
    }

    @Test
    void onItsOwnThreadItSubscribesThroughTheFactoryAppliesBatchesAndStopsOnClose() {
        MockConsumer<byte[], byte[]> own = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        List<Properties> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        SourceConsumer threaded = new SourceConsumer(KafkaBridge.Settings.defaults("mock:9092"), "orders", TOPIC,
            () -> DEFS, new IngestPipeline(() -> DEFS, events, quarantine, ledger, clock, meters), offsets, breakers,
            p -> {
                made.add(p);
                return own;
            }, dlq, new SimpleMeterRegistry()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !own.subscription().isEmpty());
            assertThat(made).hasSize(1);
            assertThat(made.get(0).get(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("hearth");
            own.updateBeginningOffsets(Map.of(P0, 0L));
            own.rebalance(List.of(P0));
            own.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, null, bytes(good("c0", "o0"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> threaded.partitions().containsKey(0)
                && threaded.partitions().get(0)[0] == 1);
        } finally {
            threaded.close();
        }
        assertThat(own.closed()).isTrue();
        assertThat(writtenOrders()).containsExactly("c0/o0");
        assertThat(storedOffsets).isEqualTo(Map.of(0, 1L));
    }
    // ------------------------------------------------------------------ pipelined

    @Test
    void pipelinedBatchesAreWrittenInPollOrderAndCommittedOnceDurable() {
        pipelined = true;
        useBreakers(new Breakers.Settings(1000, 100, Duration.ofMinutes(1)));
        List<String> expected = new ArrayList<>();
        for (long o = 0; o < 6; o++) {
            addGood(P0, o);
            expected.add("c" + o + "/p0-" + o);
            assertThat(source.turn()).isZero();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            source.turn(); // commits what the writer finished
            return storedOffsets.equals(Map.of(0, 6L)) && committed().equals(Map.of(P0, 6L));
        });
        assertThat(writtenOrders()).containsExactlyElementsOf(expected);
        List<String> offsetsInJournal = journal.stream().filter(j -> j.startsWith("offsets")).toList();
        assertThat(offsetsInJournal).as("one offset store per batch, each after its write").hasSize(6);
    }

    @Test
    void pipelinedAFailedWriteBringsBackItsBatchAndEverythingPolledAfterIt() {
        pipelined = true;
        useBreakers(new Breakers.Settings(1000, 100, Duration.ofMinutes(1)));
        eventWriteFailure = new IllegalStateException("grid unavailable");
        addGood(P0, 0);
        addGood(P0, 1);
        assertThat(source.turn()).as("handed to the writer, which fails").isZero();
        addGood(P0, 2);
        addGood(P1, 0);
        assertThat(source.turn()).as("the next poll finds the write before it failed").isEqualTo(200);
        assertThat(consumer.position(P0)).as("back to the failed batch's first record").isZero();
        assertThat(consumer.position(P1)).as("back to the first record polled after it").isZero();
        assertThat(written).isEmpty();
        assertThat(storedOffsets).isEmpty();
        assertThat(source.lastError()).contains("grid unavailable");

        eventWriteFailure = null;
        addGood(P0, 0);
        addGood(P0, 1);
        addGood(P0, 2);
        addGood(P1, 0);
        assertThat(source.turn()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            source.turn();
            return storedOffsets.equals(Map.of(0, 3L, 1, 1L));
        });
        assertThat(writtenOrders()).containsExactlyInAnyOrder("c0/p0-0", "c1/p0-1", "c2/p0-2", "c0/p1-0");
    }

    // ------------------------------------------------------------------ quality windows after an operator's reset

    /** Every window the pipeline judged, in order. */
    private final List<QualityResult> judged = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Builds the consumer over a pipeline that judges the orders' {@code channel} ({@code in_set [web]}, severity
     * block) over windows of 4 records; a block failure opens the breaker and starts the window afresh, as
     * {@link Quality} does.
     */
    private void useQuality() {
        // the demo's own expectations of orders give way to this test's
        String demo = demo().replaceAll("(?s)    expectations: +# the data as a whole.*?(?=    streams:)", "");
        Definitions defs = DefinitionsParser.parse("definitions.yaml", demo.replace("      kafka: {topic: shop.orders}\n",
            "      kafka: {topic: shop.orders}\n    expectations:\n      window: 4\n      columns:\n        channel:\n"
                + "          - {expect: in_set, values: [web], severity: block}\n"));
        Map<String, WindowMonitor> monitors = new java.util.concurrent.ConcurrentHashMap<>();
        QualityGate gate = new QualityGate() {
            @Override
            public WindowMonitor monitor(Source s, Entity e) {
                return monitors.computeIfAbsent(s.name(), k -> new WindowMonitor(s, RowValidator.storedColumns(s, e),
                    e.joinKeys(), name -> null, "test"));
            }

            @Override
            public void judged(Source s, List<QualityResult> results) {
                judged.addAll(results);
                results.stream().filter(QualityResult::blocks).findFirst().ifPresent(r -> {
                    breakers.tripOnExpectation(s, Quality.reason(r));
                    monitors.get(s.name()).restart();
                });
            }

            @Override
            public void accepted(Source s, long records) {
            }
        };
        breakers = new Breakers(breakerStore, new Breakers.Settings(1000, 100, Duration.ofMinutes(1)), clock, meters);
        IngestPipeline pipeline = new IngestPipeline(() -> defs, events, quarantine, ledger, clock, meters, gate);
        source = new SourceConsumer(KafkaBridge.Settings.defaults("mock:9092").withPipelining(pipelined), "orders", TOPIC,
            () -> defs, pipeline, offsets, breakers, p -> consumer, dlq, meters);
        source.subscribe(consumer);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.rebalance(List.of(P0, P1));
    }

    /** A good order of channel {@code store}: accepted, but outside the expectation's set. */
    private void addStore(TopicPartition tp, long offset) {
        add(tp, offset, null, good("c" + offset, "p" + tp.partition() + "-" + offset).replace("\"web\"", "\"store\""));
    }

    @Test
    void aWindowTheResetsBacklogSharesWithLaterRecordsFailsAsAWarningAndDoesNotOpenTheBreakerAgain() {
        useQuality();
        addGood(P0, 0);
        addGood(P0, 1);
        source.turn();
        assertThat(writtenOrders()).hasSize(2);

        // The window completes in the next poll and fails: that poll is held back whole and the breaker opens.
        addGood(P0, 2);
        addStore(P0, 3);
        addGood(P0, 4);
        source.turn();
        assertThat(writtenOrders()).hasSize(2);
        assertThat(consumer.position(P0)).isEqualTo(2);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
        assertThat(breakerStore.breaker("orders").reason())
            .startsWith("expectation in_set on column channel failed (severity block)");
        assertThat(judged).singleElement().satisfies(r -> assertThat(r.blocks()).isTrue());

        // The operator resets: the backlog (2 to 4) is applied; its window is completed by a record after it.
        breakers.reset("orders");
        consumer.updateEndOffsets(Map.of(P0, 5L, P1, 0L));
        addGood(P0, 2);
        addStore(P0, 3);
        addGood(P0, 4);
        source.turn();
        assertThat(writtenOrders()).hasSize(5);
        addGood(P0, 5);
        source.turn();

        assertThat(writtenOrders()).hasSize(6);
        assertThat(storedOffsets).isEqualTo(Map.of(0, 6L));
        BreakerState b = breakerStore.breaker("orders");
        assertThat(b.isOpen()).as(b.reason()).isFalse();
        assertThat(b.trips()).isEqualTo(1);
        assertThat(judged).hasSize(2);
        QualityResult shared = judged.get(1);
        assertThat(shared.success()).isFalse();
        assertThat(shared.unexpectedCount()).isEqualTo(1);
        assertThat(shared.severity()).isEqualTo(Expectation.Severity.WARN);
        assertThat(shared.detail()).contains("not blocking");

        // A window of records after the reset's end offsets only is judged with its own severity again.
        addGood(P0, 6);
        addGood(P0, 7);
        addGood(P0, 8);
        addStore(P0, 9);
        source.turn();
        assertThat(writtenOrders()).hasSize(6);
        assertThat(breakerStore.breaker("orders").isOpen()).isTrue();
        assertThat(judged.get(2).blocks()).isTrue();
    }

    @Test
    void aHeldPollRecordsOnlyItsFailingWindowTheCleanWindowBeforeItIsJudgedOnceWhenItIsApplied() {
        useQuality();
        for (int i = 0; i < 7; i++) {
            addGood(P0, i);
        }
        addStore(P0, 7); // one poll, two windows: 0-3 clean, 4-7 failing

        source.turn();
        assertThat(writtenOrders()).isEmpty();
        assertThat(breakerStore.breaker("orders").isOpen()).isTrue();
        assertThat(judged).as("the clean window is not applied yet: it is judged when it is").singleElement()
            .satisfies(r -> assertThat(r.blocks()).isTrue());

        breakers.reset("orders");
        consumer.updateEndOffsets(Map.of(P0, 8L, P1, 0L));
        for (int i = 0; i < 7; i++) {
            addGood(P0, i);
        }
        addStore(P0, 7);
        source.turn();

        assertThat(writtenOrders()).hasSize(8);
        assertThat(breakerStore.breaker("orders").isOpen()).isFalse();
        assertThat(judged).hasSize(3);
        assertThat(judged.get(1).success()).isTrue();
        assertThat(judged.get(2).success()).isFalse();
        assertThat(judged.get(2).severity()).isEqualTo(Expectation.Severity.WARN);
    }
}
