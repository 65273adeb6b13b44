package io.hearth.connectors.kafka;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.ingest.Breakers;
import io.hearth.ingest.IngestPipeline;
import io.hearth.formats.JsonRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one source's topic on its own thread. Each poll is one batch: every record is checked as HTTP ingest
 * checks it (JSON object, schema, contract), the batch is judged by the source's circuit breaker, then written
 * (events and quarantine, durable on primary and backup), its rejects are sent to {@code <topic>.dlq} and
 * acknowledged, and only then are the next offsets stored in the cluster and committed to Kafka.
 *
 * <p>Exact effect: a record's event id is its id field when the source declares one, otherwise its place
 * (topic, partition, offset). A crash anywhere before the offsets are stored makes the next consumer apply the
 * batch again, and the event store drops the events whose ids it holds; quarantine entries are keyed by place
 * too. The dead-letter topic is at-least-once: a replayed batch sends its rejects again, with the same
 * {@code hearth.original.*} headers.
 */
final class SourceConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaBridge.Settings settings;
    private final String sourceName;
    private final String topic;
    private final Supplier<Definitions> definitions;
    private final IngestPipeline pipeline;
    private final OffsetStore state;
    private final Breakers breakers;
    private final Function<Properties, Consumer<byte[], byte[]>> consumers;
    private final Producer<byte[], byte[]> dlq;
    private final MeterRegistry meters;
    private final Thread thread;
    private final Counter polls;
    private final Counter pausedPolls;
    private volatile boolean running = true;
    private volatile String status = "starting";
    private volatile String lastError;
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final Set<Integer> gauged = ConcurrentHashMap.newKeySet();
    private Consumer<byte[], byte[]> consumer;
    private Map<TopicPartition, Long> graceUntil = Map.of();
    private boolean paused;
    // Touched by the consumer's thread only.
    private long backoff = 200;
    private long generation = -1;

    /**
     * @param definitions the definitions in force, read for every batch
     * @param state where the next offsets are stored once a batch is durable
     * @param consumers makes the Kafka consumer from its properties (on the consumer's thread)
     * @param dlq sends rejected records to {@code <topic>.dlq}
     */
    SourceConsumer(KafkaBridge.Settings settings, String sourceName, String topic, Supplier<Definitions> definitions,
                   IngestPipeline pipeline, OffsetStore state, Breakers breakers,
                   Function<Properties, Consumer<byte[], byte[]>> consumers, Producer<byte[], byte[]> dlq,
                   MeterRegistry meters) {
        this.settings = settings;
        this.sourceName = sourceName;
        this.topic = topic;
        this.definitions = definitions;
        this.pipeline = pipeline;
        this.state = state;
        this.breakers = breakers;
        this.consumers = consumers;
        this.dlq = dlq;
        this.meters = meters;
        this.polls = Counter.builder("hearth.kafka.polls").description("Polls of the source's consumer loop, by whether "
            + "the breaker held the consumer paused").tag("source", sourceName).tag("state", "consuming").register(meters);
        this.pausedPolls = Counter.builder("hearth.kafka.polls").description("Polls of the source's consumer loop, by "
            + "whether the breaker held the consumer paused").tag("source", sourceName).tag("state", "paused")
            .register(meters);
        this.thread = new Thread(this::run, "hearth-kafka-" + sourceName);
        thread.setDaemon(true);
    }

    SourceConsumer start() {
        thread.start();
        return this;
    }

    public String topic() {
        return topic;
    }

    public String group() {
        return settings.group();
    }

    /** What the consumer is doing: consuming, paused by the breaker, probing, or retrying after an error. */
    public String status() {
        return status;
    }

    public String lastError() {
        return lastError;
    }

    /** Per assigned partition: the next offset this consumer applied up to, and its lag (records behind the end). */
    public Map<Integer, long[]> partitions() {
        Map<Integer, long[]> out = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : lag.entrySet()) {
            out.put(e.getKey(), new long[] {applied.getOrDefault(e.getKey(), -1L), e.getValue()});
        }
        return out;
    }

    /** The Kafka consumer's settings: no auto commit (offsets are stored after a batch is durable), committed reads. */
    Properties properties() {
        Properties p = new Properties();
        p.putAll(settings.clientProperties()); // SASL, TLS: under Hearth's own settings, which come after
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hearth-" + sourceName + "-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxPollRecords()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        if (settings.instanceId() != null) {
            p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId() + "-" + sourceName);
        }
        return p;
    }

    private void run() {
        try (Consumer<byte[], byte[]> c = consumers.apply(properties())) {
            subscribe(c);
            while (running) {
                long wait = turn();
                if (wait < 0) {
                    break;
                }
                if (wait > 0) {
                    sleep(wait);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("Kafka consumer of source '{}' stopped: {}", sourceName, e.toString(), e);
                status = "stopped: " + e;
            }
        } finally {
            consumer = null;
        }
    }

    /** Subscribes {@code c} to the topic; from now on this consumer polls through it. */
    void subscribe(Consumer<byte[], byte[]> c) {
        consumer = c;
        c.subscribe(List.of(topic), new Rebalance());
    }

    /**
     * One turn of the loop: reads the breaker, polls, and applies what came (or polls paused while the breaker is
     * open). Returns how long to wait before the next turn (0, or a growing backoff after a batch failed and was
     * sought back), or -1 when the loop must end. A {@link WakeupException} while running is thrown.
     */
    long turn() {
        Consumer<byte[], byte[]> c = consumer;
        Map<TopicPartition, Long> starts = null;
        try {
            BreakerState br = breakers.current(sourceName);
            if (br.generation() != generation) {
                generation = br.generation();
                onBreakerChange(br);
            }
            boolean probe = br.probeDue(breakers.now());
            if (br.isOpen() && !probe) {
                pauseAll();
                status = "paused: circuit breaker open since " + br.sinceMillis();
                c.poll(POLL); // keeps the group membership; returns nothing while paused
                pausedPolls.increment();
                return 0;
            }
            resumeAll();
            status = probe ? "probing (breaker half-open)" : "consuming";
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            polls.increment();
            updateLag();
            if (records.isEmpty()) {
                return 0;
            }
            starts = firstOffsets(records);
            apply(records, starts, probe);
            backoff = 200;
            lastError = null;
            return 0;
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            return 0;
        } catch (RuntimeException | InterruptedException | ExecutionException e) {
            if (!running) {
                return -1;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return -1;
            }
            lastError = e.toString();
            status = "retrying after an error: " + e;
            LOG.warn("Kafka source '{}': batch not applied, retrying in {} ms: {}", sourceName, backoff, e.toString());
            if (starts != null) {
                starts.forEach(c::seek); // the batch comes again; its applied part is dropped as duplicates
            }
            long wait = backoff;
            backoff = Math.min(backoff * 2, 10_000);
            return wait;
        }
    }

    private static Map<TopicPartition, Long> firstOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            out.put(tp, records.records(tp).get(0).offset());
        }
        return out;
    }

    /** A reset lets through what was already in the topic when the consumer saw it: the backlog the breaker held. */
    private void onBreakerChange(BreakerState br) {
        if (!br.isOpen() && Breakers.RESET_REASON.equals(br.reason()) && !consumer.assignment().isEmpty()) {
            graceUntil = new HashMap<>(consumer.endOffsets(consumer.assignment()));
            LOG.info("Kafka source '{}': breaker reset; records before {} are applied without judging", sourceName,
                graceUntil);
        } else {
            graceUntil = Map.of();
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> starts, boolean probe)
        throws InterruptedException, ExecutionException {
        Definitions d = definitions.get();
        Source source = d.source(sourceName).orElseThrow(() -> new IllegalStateException("source '" + sourceName
            + "' is no longer defined"));
        Entity entity = d.entity(source.entity()).orElseThrow();
        String keyField = entity.joinKeys().size() == 1 ? entity.joinKeys().get(0) : null;
        IngestPipeline.Batch batch = pipeline.open(sourceName, "kafka:" + topic);
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        long judged = 0;
        long judgedRejected = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, r.offset() + 1);
            String origin = "kafka:" + r.topic() + "/" + r.partition();
            RowCheck.Rejected rej = check(batch, r, origin, keyField);
            if (rej != null) {
                dead.add(deadLetter(r, rej));
            }
            Long grace = graceUntil.get(tp);
            if (grace == null || r.offset() >= grace) {
                judged++;
                judgedRejected += rej == null ? 0 : 1;
            }
        }
        boolean go;
        if (probe) {
            go = judged == 0 || breakers.probe(source, judged, judgedRejected);
        } else {
            go = judged == 0 || breakers.admit(source, judged, judgedRejected);
        }
        if (!go) {
            starts.forEach(consumer::seek); // held back, not applied: comes again after a reset or a passed probe
            pauseAll();
            return;
        }
        batch.write(batch.cut());
        List<Future<RecordMetadata>> sent = new ArrayList<>(dead.size());
        for (ProducerRecord<byte[], byte[]> r : dead) {
            sent.add(dlq.send(r));
        }
        if (!sent.isEmpty()) {
            dlq.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(); // a dead letter not acknowledged means the batch is not done
            }
        }
        Map<Integer, Long> byPartition = next.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(),
            Map.Entry::getValue));
        state.storeOffsets(settings.group(), topic, byPartition);
        applied.putAll(byPartition);
        Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
        next.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        consumer.commitAsync(commit, (offsets, e) -> {
            if (e != null) {
                LOG.debug("Kafka commit of {} failed (the cluster's stored offsets are what counts): {}", offsets, e.toString());
            }
        });
    }

    /** Checks one record into the batch; returns the rule it broke, or null. */
    private static RowCheck.Rejected check(IngestPipeline.Batch batch, ConsumerRecord<byte[], byte[]> r, String origin,
                                           String keyField) {
        byte[] value = r.value();
        if (value == null) {
            return reject(batch, origin, r.offset(), null, "kafka.no_value", "the record has no value (a tombstone)", "");
        }
        JsonRecords.Read read = JsonRecords.read(value);
        if (read instanceof JsonRecords.Broken b) {
            return reject(batch, origin, r.offset(), b.field(), b.rule(), b.message(), text(value));
        }
        Map<String, Object> row = ((JsonRecords.Fields) read).fields();
        if (keyField != null && row.get(keyField) == null && r.key() != null) {
            row.put(keyField, new String(r.key(), StandardCharsets.UTF_8)); // the record key is the entity key
        }
        long id = EventBlock.idHash("kafka:" + r.topic() + "/" + r.partition() + "/" + r.offset());
        return batch.add(row, () -> text(value), origin, r.offset(), id);
    }

    private static RowCheck.Rejected reject(IngestPipeline.Batch batch, String origin, long offset, String field,
                                            String rule, String message, String raw) {
        batch.reject(origin, offset, field, rule, message, raw);
        return new RowCheck.Rejected(field, rule, message);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> r, RowCheck.Rejected rej) {
        RecordHeaders h = new RecordHeaders();
        r.headers().forEach(h::add);
        h.add("hearth.error.rule", bytes(rej.rule()));
        if (rej.field() != null) {
            h.add("hearth.error.field", bytes(rej.field()));
        }
        h.add("hearth.error.message", bytes(rej.message()));
        h.add("hearth.source", bytes(sourceName));
        h.add("hearth.original.topic", bytes(r.topic()));
        h.add("hearth.original.partition", bytes(Integer.toString(r.partition())));
        h.add("hearth.original.offset", bytes(Long.toString(r.offset())));
        return new ProducerRecord<>(r.topic() + ".dlq", null, r.key(), r.value(), h);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void pauseAll() {
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        }
    }

    private void resumeAll() {
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(l -> lag.put(tp.partition(), l));
            if (gauged.add(tp.partition())) {
                int part = tp.partition();
                Gauge.builder("hearth.kafka.lag", lag, m -> m.getOrDefault(part, 0L).doubleValue())
                    .description("Records in the partition not yet applied by this gateway's consumer")
                    .tag("source", sourceName).tag("topic", topic).tag("partition", Integer.toString(part))
                    .register(meters);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On assignment, start each partition at the offset stored in the cluster (the last applied batch's end). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Batches are applied inside the poll loop, so none is in flight here: nothing to finish.
            for (TopicPartition tp : partitions) {
                lag.remove(tp.partition());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<Integer, Long> stored = state.offsets(settings.group(), topic,
                partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            for (TopicPartition tp : partitions) {
                Long o = stored.get(tp.partition());
                if (o != null) {
                    consumer.seek(tp, o);
                    applied.put(tp.partition(), o);
                }
            }
            if (paused) {
                consumer.pause(partitions);
            }
            LOG.info("Kafka source '{}': assigned {} (stored offsets {})", sourceName, partitions, stored);
        }
    }

    @Override
    public void close() {
        running = false;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
