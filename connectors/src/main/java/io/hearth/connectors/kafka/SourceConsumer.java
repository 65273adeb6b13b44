package io.hearth.connectors.kafka;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
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
 * <p>Exact effect: every accepted event carries its place (topic, partition, offset), and each partition of the
 * event store records the offsets it has applied per topic partition (a few ranges, forgotten below the offset the
 * cluster has stored). A crash anywhere before the offsets are stored makes the next consumer apply the batch
 * again, and the store drops the events whose places it holds (and, where the source declares an id field, ids it
 * holds); quarantine entries are keyed by place too. The dead-letter topic is at-least-once: a replayed batch sends its rejects again, with the same
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
    /** The batch being written on {@link #writer} while the next is polled and checked (pipelined consumers). */
    private InFlight inFlight;
    /** Writes batches one at a time, in poll order; null when the consumer writes on its own thread. */
    private final java.util.concurrent.ExecutorService writer;

    /** A batch handed to the writer: its future gives its next offsets once it is durable and they are stored. */
    private record InFlight(Future<Map<TopicPartition, Long>> done, Map<TopicPartition, Long> starts) {
    }

    /** A batch checked and admitted by the breaker, ready to be written. */
    private record Prepared(IngestPipeline.Batch batch, IngestPipeline.Pending pending,
                            List<ProducerRecord<byte[], byte[]>> dead, Map<TopicPartition, Long> next) {
    }

    /** The write of an earlier batch failed: it and everything polled after it must come again. */
    private static final class WriteFailed extends RuntimeException {
        final Map<TopicPartition, Long> starts;

        WriteFailed(Map<TopicPartition, Long> starts, Throwable cause) {
            super(cause.toString(), cause, false, false);
            this.starts = starts;
        }
    }

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
        this.writer = !settings.pipelined() ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hearth-kafka-write-" + sourceName);
            t.setDaemon(true);
            return t;
        });
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
            settleQuietly(); // the last batch's offsets stored before the consumer leaves the group
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
            starts = records.isEmpty() ? Map.of() : firstOffsets(records);
            settle(false); // the batch before, if its write is done: commit it, or start again from it
            if (records.isEmpty()) {
                return 0;
            }
            Prepared p = prepare(records, probe);
            if (p == null) { // held back, not applied: comes again after a reset or a passed probe
                settle(true);
                starts.forEach(consumer::seek);
                pauseAll();
                return 0;
            }
            if (writer == null) {
                commit(write(p));
            } else {
                settle(true); // writes one at a time, in poll order
                inFlight = new InFlight(writer.submit(() -> write(p)), starts);
            }
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
            Throwable cause = e instanceof WriteFailed && e.getCause() != null ? e.getCause() : e;
            lastError = cause.toString();
            status = "retrying after an error: " + cause;
            LOG.warn("Kafka source '{}': batch not applied, retrying in {} ms: {}", sourceName, backoff, cause.toString());
            // The batch comes again (its applied part is dropped as duplicates), and so does whatever was polled after
            // a batch whose write failed.
            Map<TopicPartition, Long> seekTo = new HashMap<>(starts == null ? Map.of() : starts);
            if (e instanceof WriteFailed wf) {
                seekTo.putAll(wf.starts);
            }
            seekTo.forEach(c::seek);
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

    /**
     * Reads and checks a poll into a batch, and has the breaker judge it: the batch to write, or null when the breaker
     * holds it back (nothing of it written).
     */
    private Prepared prepare(ConsumerRecords<byte[], byte[]> records, boolean probe) {
        Definitions d = definitions.get();
        Source source = d.source(sourceName).orElseThrow(() -> new IllegalStateException("source '" + sourceName
            + "' is no longer defined"));
        Entity entity = d.entity(source.entity()).orElseThrow();
        String keyField = entity.joinKeys().size() == 1 ? entity.joinKeys().get(0) : null;
        IngestPipeline.Batch batch = pipeline.open(sourceName, "kafka:" + topic);
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            // Below the offset the cluster has stored for the partition no replay can start: the log forgets it.
            batch.stream(stream(tp), rs.get(0).offset(), rs.get(rs.size() - 1).offset() + 1,
                applied.getOrDefault(tp.partition(), 0L));
        }
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        long judged = 0;
        long judgedRejected = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, r.offset() + 1);
            String origin = "kafka:" + r.topic() + "/" + r.partition();
            Long grace = graceUntil.get(tp);
            batch.blockOnQuality(grace == null || r.offset() >= grace);
            RowCheck.Rejected rej = check(batch, r, origin, keyField);
            if (batch.halted() != null) {
                // A window failed a block expectation: the whole poll is held back (it comes again after a reset or a
                // passed probe) and the breaker opens now, with the failed expectation as its reason.
                batch.judgeNow();
                return null;
            }
            if (rej != null) {
                dead.add(deadLetter(r, rej));
            }
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
        return go ? new Prepared(batch, batch.cut(), dead, next) : null;
    }

    /**
     * Writes a batch (events and quarantine, durable), sends its rejects to the dead-letter topic, and stores its
     * next offsets in the cluster; returns them, for the consumer's thread to commit to Kafka. Runs on the writer's
     * thread when pipelined: it touches no consumer state but the applied offsets.
     */
    private Map<TopicPartition, Long> write(Prepared p) throws InterruptedException, ExecutionException {
        p.batch().write(p.pending());
        List<Future<RecordMetadata>> sent = new ArrayList<>(p.dead().size());
        for (ProducerRecord<byte[], byte[]> r : p.dead()) {
            sent.add(dlq.send(r));
        }
        if (!sent.isEmpty()) {
            dlq.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(); // a dead letter not acknowledged means the batch is not done
            }
        }
        Map<Integer, Long> byPartition = p.next().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(),
            Map.Entry::getValue));
        state.storeOffsets(settings.group(), topic, byPartition);
        applied.putAll(byPartition);
        return p.next();
    }

    /** Commits offsets stored in the cluster to Kafka too (for tools that read the group's offsets). */
    private void commit(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
        next.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        consumer.commitAsync(commit, (offsets, e) -> {
            if (e != null) {
                LOG.debug("Kafka commit of {} failed (the cluster's stored offsets are what counts): {}", offsets, e.toString());
            }
        });
    }

    /**
     * Finishes the batch in flight when its write is done ({@code wait}: waits for it): commits its offsets, or
     * throws {@link WriteFailed} so that it and what was polled after it come again.
     */
    private void settle(boolean wait) throws InterruptedException {
        InFlight f = inFlight;
        if (f == null || (!wait && !f.done().isDone())) {
            return;
        }
        inFlight = null;
        try {
            commit(f.done().get());
        } catch (ExecutionException e) {
            throw new WriteFailed(f.starts(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Waits for the batch in flight, if any, whatever its outcome (a replay from the stored offsets covers a failure). */
    private void settleQuietly() {
        try {
            settle(true);
        } catch (WriteFailed e) {
            LOG.debug("Kafka source '{}': the last batch was not applied; it comes again from the stored offsets: {}",
                sourceName, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Kafka source '{}': could not commit the last batch's offsets: {}", sourceName, e.toString());
        }
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
        return batch.add(row, () -> text(value), origin, r.offset(), stream(new TopicPartition(r.topic(), r.partition())));
    }

    /** A topic partition as a stream of places ({@link io.hearth.compute.events.Places}). */
    private static String stream(TopicPartition tp) {
        return "kafka:" + tp.topic() + "/" + tp.partition();
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
            // The batch in flight is finished first, so the next owner starts after it (or replays it: it failed).
            settleQuietly();
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
            if (writer != null) {
                writer.shutdown();
                writer.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
