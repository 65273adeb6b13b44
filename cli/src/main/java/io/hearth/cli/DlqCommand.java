package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth dlq}: the records of a source's dead-letter topic, with the rule each broke. */
@Command(name = "dlq", description = "Show the records of a Kafka source's dead-letter topic (<topic>.dlq): the rule "
    + "each broke, where it came from, and its value. Reads without joining a consumer group.")
final class DlqCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, description = "Source whose dead-letter topic to read.")
    String source;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Bootstrap servers (default: ${DEFAULT-VALUE}).",
        defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "A Kafka client setting (SASL, TLS: "
        + "security.protocol=SASL_SSL, ...), repeated for each.")
    java.util.Map<String, String> kafkaProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--limit", description = "How many records, oldest first (default: ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int limit;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        String topic;
        try {
            JsonNode s = client.client().send("GET", "/v1/sources/" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                .replace("+", "%20"), null, null);
            if (!s.path("kafka").hasNonNull("topic")) {
                System.err.println("hearth dlq: source '" + source + "' reads no Kafka topic (streams.kafka.topic), so it "
                    + "has no dead-letter topic; its rejected records are in ./hearth quarantine --source " + source);
                return 1;
            }
            topic = s.at("/kafka/topic").asText() + ".dlq";
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth dlq: " + e.detail());
            return 1;
        }
        Properties p = new Properties();
        p.putAll(kafkaProperties); // SASL, TLS
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, List<PartitionInfo>> topics;
            try {
                topics = c.listTopics(Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                System.err.println("hearth dlq: cannot reach Kafka at " + bootstrap + " (use --kafka HOST:PORT)");
                return 1;
            }
            if (!topics.containsKey(topic)) {
                System.out.println("No dead letters: topic " + topic + " does not exist (nothing was rejected from Kafka yet).");
                return 0;
            }
            List<TopicPartition> parts = new ArrayList<>();
            topics.get(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            System.out.println(total + " record(s) in " + topic + (total > limit ? ", the first " + limit + ":" : ":"));
            int shown = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (shown < Math.min(limit, total) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (shown++ >= limit) {
                        break;
                    }
                    System.out.printf("%n%s/%d@%d  %s%s%n  %s%n  value: %s%n", r.topic(), r.partition(), r.offset(),
                        header(r, "hearth.error.rule"), header(r, "hearth.error.field").isEmpty() ? ""
                            : " (" + header(r, "hearth.error.field") + ")", header(r, "hearth.error.message"),
                        r.value() == null ? "(none)" : new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return 0;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
