package io.hearth.connectors.kafka;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hearth.catalog.HearthException;
import io.hearth.feedback.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * Consumes one topic of outcomes (a feature service's {@code logging.outcomes.kafka.topic}) on its own thread: each
 * record's value is one outcome as a JSON object ({@code request_id}, {@code label}, {@code value},
 * {@code outcome_ts}), checked as {@code POST /v1/outcomes} checks it. Each poll is one batch: its outcomes are
 * stored, its malformed records sent to {@code <topic>.dlq} with the rule in their headers, and only then are the
 * offsets committed to Kafka, in group {@code <group>-outcomes}. Outcomes are stored once per (request id, label),
 * so a batch applied again after a crash changes nothing: at-least-once delivery gives an exact effect.
 */
final class OutcomeConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private final KafkaBridge.Settings settings;
    private final String topic;
    private final Function<List<Outcome>, ?> sink;
    private final Function<Properties, Consumer<byte[], byte[]>> consumers;
    private final Producer<byte[], byte[]> dlq;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;
    private long backoff = 200;

    OutcomeConsumer(KafkaBridge.Settings settings, String topic, Function<List<Outcome>, ?> sink,
                    Function<Properties, Consumer<byte[], byte[]>> consumers, Producer<byte[], byte[]> dlq) {
        this.settings = settings;
        this.topic = topic;
        this.sink = sink;
        this.consumers = consumers;
        this.dlq = dlq;
        this.thread = new Thread(this::run, "hearth-outcomes-" + topic);
        thread.setDaemon(true);
    }

    OutcomeConsumer start() {
        thread.start();
        return this;
    }

    String topic() {
        return topic;
    }

    /** The consumer group of outcome consumers: the bridge's own, apart, so that they never rebalance source consumers. */
    static String group(KafkaBridge.Settings settings) {
        return settings.group() + "-outcomes";
    }

    Properties properties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group(settings));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "hearth-outcomes-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(settings.maxPollRecords(), 10_000)));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return p;
    }

    private void run() {
        try (Consumer<byte[], byte[]> c = consumers.apply(properties())) {
            consumer = c;
            c.subscribe(List.of(topic));
            while (running) {
                long wait = turn(c);
                if (wait > 0) {
                    Thread.sleep(wait); // a backoff after a failed batch: nothing to wait on
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Kafka outcome consumer of '{}' woken up while running", topic, e);
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("Kafka outcome consumer of '{}' stopped: {}", topic, e.toString(), e);
            }
        } finally {
            consumer = null;
        }
    }

    /** One poll and its batch; returns how long to back off (0 after a batch applied). */
    long turn(Consumer<byte[], byte[]> c) {
        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
        if (records.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            starts.put(tp, records.records(tp).get(0).offset());
        }
        try {
            apply(c, records);
            backoff = 200;
            return 0;
        } catch (RuntimeException | ExecutionException e) {
            LOG.warn("Kafka outcomes of '{}': batch not applied, retrying in {} ms: {}", topic, backoff, e.toString());
            starts.forEach(c::seek); // comes again; what was stored is stored once
            long wait = backoff;
            backoff = Math.min(backoff * 2, 10_000);
            return wait;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return 0;
        }
    }

    private void apply(Consumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records)
        throws InterruptedException, ExecutionException {
        List<Outcome> good = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            try {
                good.add(parse(r));
            } catch (HearthException e) {
                dead.add(deadLetter(r, e.rule(), e.field(), e.getMessage()));
            }
        }
        if (!good.isEmpty()) {
            sink.apply(good);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> d : dead) {
            sent.add(dlq.send(d));
        }
        if (!sent.isEmpty()) {
            dlq.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        }
        c.commitSync(next);
    }

    /** An outcome from a record's value; a {@link HearthException} naming the field and rule when it is not one. */
    static Outcome parse(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            throw new HearthException(io.hearth.catalog.ErrorCode.INVALID_FIELD, null, "kafka.no_value",
                "the record has no value (a tombstone)");
        }
        JsonNode n;
        try {
            n = JSON.readTree(r.value());
        } catch (IOException e) {
            throw new HearthException(io.hearth.catalog.ErrorCode.MALFORMED_JSON, null, e.getMessage() != null
                && e.getMessage().startsWith("Duplicate field") ? "json.duplicate_key" : "json.syntax",
                "the value is not one JSON object: " + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        return Outcome.parse(n, "");
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> r, String rule, String field,
                                                      String message) {
        RecordHeaders h = new RecordHeaders();
        r.headers().forEach(h::add);
        h.add("hearth.error.rule", bytes(rule));
        if (field != null) {
            h.add("hearth.error.field", bytes(field));
        }
        h.add("hearth.error.message", bytes(message));
        h.add("hearth.original.topic", bytes(r.topic()));
        h.add("hearth.original.partition", bytes(Integer.toString(r.partition())));
        h.add("hearth.original.offset", bytes(Long.toString(r.offset())));
        return new ProducerRecord<>(r.topic() + ".dlq", null, r.key(), r.value(), h);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
