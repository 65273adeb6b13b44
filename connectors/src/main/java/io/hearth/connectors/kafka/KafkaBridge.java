package io.hearth.connectors.kafka;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Source;
import io.hearth.ingest.Breakers;
import io.hearth.connectors.SourceConnector;
import io.hearth.ingest.Feeds;
import io.hearth.ingest.Ingest;
import io.hearth.ingest.IngestPipeline;
import io.hearth.node.store.IngestStateStore;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the Kafka topic of every source that declares {@code streams.kafka.topic}: one {@link SourceConsumer}
 * (one thread, one Kafka consumer in group {@link Settings#group}) per source, started and stopped as definitions
 * change. Several gateways with the same group share a topic's partitions.
 */
public final class KafkaBridge implements SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBridge.class);

    /**
     * @param bootstrap Kafka bootstrap servers
     * @param group consumer group shared by all gateways of a cluster
     * @param maxPollRecords records per poll, i.e. most records per applied batch
     * @param registryCheck how often new or removed sources are noticed
     * @param instanceId this gateway's static group membership id (null: dynamic). With one, a restarted gateway
     *     takes its partitions back at once instead of after the session timeout of its former self
     * @param pipelined whether the next poll is read and checked while the previous one is written
     * @param clientProperties Kafka client settings of the consumers and the dead-letter producer, on top of Hearth's
     *     (SASL and TLS: {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config},
     *     {@code ssl.truststore.location}, ...); the settings Hearth's exactly-once relies on cannot be replaced
     */
    public record Settings(String bootstrap, String group, int maxPollRecords, Duration registryCheck, String instanceId,
                           boolean pipelined, Map<String, String> clientProperties) {
        /** The settings Hearth's delivery guarantees rest on: offsets are Hearth's, reads are committed ones. */
        static final Set<String> RESERVED = Set.of("bootstrap.servers", "group.id", "enable.auto.commit",
            "isolation.level", "key.deserializer", "value.deserializer", "key.serializer", "value.serializer", "acks",
            "enable.idempotence", "group.instance.id", "max.poll.records");

        public Settings(String bootstrap, String group, int maxPollRecords, Duration registryCheck, String instanceId,
                        boolean pipelined) {
            this(bootstrap, group, maxPollRecords, registryCheck, instanceId, pipelined, Map.of());
        }

        public Settings {
            clientProperties = Map.copyOf(clientProperties);
            for (String k : clientProperties.keySet()) {
                if (RESERVED.contains(k)) {
                    throw new IllegalArgumentException("Kafka property '" + k + "' is Hearth's to set (its offsets and "
                        + "delivery depend on it); set it with Hearth's own option if it has one");
                }
            }
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new IllegalArgumentException("Kafka bootstrap servers are required (HOST:PORT)");
            }
            if (maxPollRecords < 1) {
                throw new IllegalArgumentException("maxPollRecords must be at least 1");
            }
        }

        public static Settings defaults(String bootstrap) {
            return new Settings(bootstrap, "hearth", 5000, Duration.ofSeconds(2), null, true);
        }

        public Settings withGroup(String g) {
            return new Settings(bootstrap, g, maxPollRecords, registryCheck, instanceId, pipelined, clientProperties);
        }

        public Settings withMaxPollRecords(int n) {
            return new Settings(bootstrap, group, n, registryCheck, instanceId, pipelined, clientProperties);
        }

        public Settings withInstanceId(String id) {
            return new Settings(bootstrap, group, maxPollRecords, registryCheck, id, pipelined, clientProperties);
        }

        /**
         * Whether a consumer reads and checks its next poll while the previous one is written (on a thread of its
         * own; writes stay one at a time, in poll order), or does one after the other.
         */
        public Settings withPipelining(boolean on) {
            return new Settings(bootstrap, group, maxPollRecords, registryCheck, instanceId, on, clientProperties);
        }

        public Settings withClientProperties(Map<String, String> properties) {
            return new Settings(bootstrap, group, maxPollRecords, registryCheck, instanceId, pipelined, properties);
        }
    }

    private final Settings settings;
    private final RegistryStore registry;
    private final IngestPipeline pipeline;
    private final OffsetStore offsets;
    private final Breakers breakers;
    private final MeterRegistry meters;
    private final KafkaProducer<byte[], byte[]> dlq;
    private final Map<String, SourceConsumer> consumers = new HashMap<>();
    private final Map<String, OutcomeConsumer> outcomeConsumers = new HashMap<>();
    private java.util.function.Function<java.util.List<io.hearth.feedback.Outcome>, ?> outcomes;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hearth-kafka-watch");
        t.setDaemon(true);
        return t;
    });

    /** A bridge feeding {@code ingest}; nothing is consumed before {@link #start()}. */
    public KafkaBridge(Settings settings, Ingest ingest) {
        this.settings = settings;
        this.registry = ingest.registry();
        this.pipeline = ingest.pipeline();
        this.offsets = offsets(ingest.state());
        this.breakers = ingest.breakers();
        this.meters = ingest.meters();
        Properties p = new Properties();
        p.putAll(settings.clientProperties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hearth-dlq");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.dlq = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The cluster's stored offsets, as consumers see them. */
    private static OffsetStore offsets(IngestStateStore state) {
        return new OffsetStore() {
            @Override
            public Map<Integer, Long> offsets(String group, String topic, Set<Integer> partitions) {
                return state.offsets(group, topic, partitions);
            }

            @Override
            public void storeOffsets(String group, String topic, Map<Integer, Long> next) {
                state.storeOffsets(group, topic, next);
            }
        };
    }

    private static org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> newConsumer(Properties p) {
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Also consumes the outcome topics feature services declare ({@code logging.outcomes.kafka.topic}) into
     * {@code sink} (the feedback loop's {@code Outcomes#record}). Call before {@link #start()}.
     */
    public KafkaBridge withOutcomes(java.util.function.Function<java.util.List<io.hearth.feedback.Outcome>, ?> sink) {
        this.outcomes = sink;
        return this;
    }

    @Override
    public KafkaBridge start() {
        watcher.scheduleWithFixedDelay(this::sync, 0, settings.registryCheck().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Starts consumers for sources with a topic and stops those whose source or topic went away. */
    private synchronized void sync() {
        try {
            Definitions d = registry.definitions();
            Map<String, String> wanted = new HashMap<>();
            for (Source s : d.sources()) {
                if (s.kafkaTopic() != null) {
                    wanted.put(s.name(), s.kafkaTopic());
                }
            }
            consumers.entrySet().removeIf(e -> {
                if (!e.getValue().topic().equals(wanted.get(e.getKey()))) {
                    e.getValue().close();
                    return true;
                }
                return false;
            });
            wanted.forEach((source, topic) -> consumers.computeIfAbsent(source, s -> {
                LOG.info("Consuming Kafka topic '{}' into source '{}' (group '{}')", topic, s, settings.group());
                return new SourceConsumer(settings, s, topic, registry::definitions, pipeline, offsets, breakers,
                    KafkaBridge::newConsumer, dlq, meters).start();
            }));
            if (outcomes != null) {
                java.util.Set<String> topics = new java.util.HashSet<>();
                d.featureServices().forEach(fs -> {
                    if (fs.logging().outcomesTopic() != null) {
                        topics.add(fs.logging().outcomesTopic());
                    }
                });
                outcomeConsumers.entrySet().removeIf(e -> {
                    if (!topics.contains(e.getKey())) {
                        e.getValue().close();
                        return true;
                    }
                    return false;
                });
                topics.forEach(t -> outcomeConsumers.computeIfAbsent(t, x -> {
                    LOG.info("Consuming Kafka topic '{}' as outcomes (group '{}')", x, OutcomeConsumer.group(settings));
                    return new OutcomeConsumer(settings, x, outcomes, KafkaBridge::newConsumer, dlq).start();
                }));
            }
        } catch (RuntimeException e) {
            LOG.warn("Kafka bridge: cannot read the registry ({}); trying again", e.toString());
        }
    }

    @Override
    public boolean running() {
        return true;
    }

    /** The consumer of a source, once this bridge runs one. */
    @Override
    public synchronized Optional<Feeds.Consumer> consumer(String source) {
        SourceConsumer c = consumers.get(source);
        return c == null ? Optional.empty()
            : Optional.of(new Feeds.Consumer(c.group(), c.status(), c.lastError(), c.partitions()));
    }

    @Override
    public synchronized void close() {
        watcher.shutdownNow();
        consumers.values().forEach(SourceConsumer::close);
        consumers.clear();
        outcomeConsumers.values().forEach(OutcomeConsumer::close);
        outcomeConsumers.clear();
        dlq.close(Duration.ofSeconds(10));
    }
}
