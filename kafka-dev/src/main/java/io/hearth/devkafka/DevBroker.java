package io.hearth.devkafka;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), on loopback, for
 * development, tests and the demo: {@code hearth kafka}. Its log directory is formatted on first start and kept,
 * so topics and offsets survive a restart of the same directory.
 */
public final class DevBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DevBroker.class);

    private final KafkaRaftServer server;
    private final int port;

    private DevBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats {@code dataDir} if it is new and starts the broker.
     *
     * @param port client port on 127.0.0.1
     * @param controllerPort the KRaft controller's port on 127.0.0.1
     * @param partitions default partition count of auto-created topics
     */
    public static DevBroker start(Path dataDir, int port, int controllerPort, int partitions) {
        Path logs = dataDir.toAbsolutePath().resolve("logs");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logs.toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("log.segment.bytes", Integer.toString(64 << 20));
        p.put("log.retention.hours", "168");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)); // durability by the OS page cache, as Kafka defaults
        try {
            Files.createDirectories(logs);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                new Formatter().setPrintStream(new PrintStream(PrintStream.nullOutputStream())).setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString()).setDirectories(List.of(logs.toString()))
                    .setMetadataLogDirectory(logs.toString()).setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION).run();
                LOG.info("Formatted a new KRaft log directory {}", logs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + logs, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + logs + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        LOG.info("Kafka broker (KRaft) listening on 127.0.0.1:{}, data in {}", port, logs);
        return new DevBroker(server, port);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
