package io.hearth.cli;

import io.hearth.connectors.kafka.KafkaBridge;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The Kafka bridge's options, shared by {@code up} and {@code gateway}. */
final class KafkaOptions {
    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Consume the Kafka topic of every source that "
        + "declares streams.kafka.topic (JSON values, one event per record), and every feature service's "
        + "logging.outcomes.kafka.topic (one outcome per record), from these bootstrap servers.")
    String bootstrap;

    @Option(names = "--kafka-group", description = "Kafka consumer group, shared by the gateways of a cluster "
        + "(default: ${DEFAULT-VALUE}).", defaultValue = "hearth")
    String group;

    @Option(names = "--kafka-instance-id", description = "Static Kafka group membership id of this gateway (unique per "
        + "gateway): a restarted gateway gets its partitions back at once instead of after the session timeout.")
    String instanceId;

    @Option(names = "--kafka-max-poll-records", description = "Most records per applied batch (default: ${DEFAULT-VALUE}).",
        defaultValue = "5000")
    int maxPollRecords;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = "A Kafka client setting for the "
        + "consumers and the dead-letter producer, e.g. security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512, "
        + "sasl.jaas.config=..., ssl.truststore.location=FILE (repeat for each).")
    Map<String, String> properties = new LinkedHashMap<>();

    /**
     * Starts the Kafka bridge feeding the gateway's ingest pipeline, and shows its consumers in the gateway's source
     * status; null without --kafka. The caller closes it before the gateway.
     */
    KafkaBridge start(io.hearth.gateway.HearthGateway gateway) {
        KafkaBridge.Settings s = settings();
        if (s == null) {
            return null;
        }
        KafkaBridge bridge = new KafkaBridge(s, gateway.ingest()).withOutcomes(gateway.feedback().outcomes()::record).start();
        gateway.feeds(bridge);
        return bridge;
    }

    /** The bridge's settings, or null without --kafka. */
    KafkaBridge.Settings settings() {
        if (bootstrap == null) {
            return null;
        }
        return KafkaBridge.Settings.defaults(bootstrap).withGroup(group).withMaxPollRecords(maxPollRecords)
            .withInstanceId(instanceId).withClientProperties(properties);
    }
}
