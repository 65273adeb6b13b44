package io.hearth.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth produce}: sends lines to a Kafka topic, one record per line; a development convenience. */
@Command(name = "produce", description = "Send lines (e.g. NDJSON events) from a file or standard input to a Kafka topic, "
    + "one record per non-blank line, and wait until the broker acknowledged them all.")
final class ProduceCommand implements Callable<Integer> {
    @Option(names = "--topic", required = true, description = "Topic to send to.")
    String topic;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Bootstrap servers (default: ${DEFAULT-VALUE}).",
        defaultValue = "127.0.0.1:9092")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "A Kafka client setting (SASL, TLS: "
        + "security.protocol=SASL_SSL, ...), repeated for each.")
    java.util.Map<String, String> kafkaProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--key", description = "Record key for every record (e.g. the entity key); default none.")
    String key;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to read (default: standard input).")
    Path file;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.putAll(kafkaProperties); // SASL, TLS
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (BufferedReader in = file == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8);
             KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isBlank()) {
                    sent.add(producer.send(new ProducerRecord<>(topic, key, line)));
                }
            }
            producer.flush();
        }
        // send() only queues a record: a record counts as sent once the broker acknowledged it.
        long acked = 0;
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
                acked++;
            } catch (ExecutionException e) {
                System.err.println("not sent: " + (sent.size() - acked) + " of " + sent.size() + " records (the first "
                    + acked + " were acknowledged by " + bootstrap + "): " + e.getCause().getMessage());
                return 1;
            }
        }
        System.out.println(acked + " records sent to " + topic + " at " + bootstrap + ".");
        return 0;
    }
}
