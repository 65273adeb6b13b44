package io.hearth.cli;

import io.hearth.devkafka.DevBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth kafka}: a development Kafka broker (real KRaft, one node, loopback). */
@Command(name = "kafka", description = "Start a development Kafka broker: one KRaft node (broker and controller) on "
    + "127.0.0.1, data kept in --data-dir. Topics are created on first use.")
final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Client port (default: ${DEFAULT-VALUE}).", defaultValue = "9092")
    int port;

    @Option(names = "--controller-port", description = "KRaft controller port (default: ${DEFAULT-VALUE}).",
        defaultValue = "9093")
    int controllerPort;

    @Option(names = "--data-dir", description = "Where the broker keeps its logs (default: ${DEFAULT-VALUE}).",
        defaultValue = "hearth-kafka")
    Path dataDir;

    @Option(names = "--partitions", description = "Partitions of topics created on first use (default: ${DEFAULT-VALUE}).",
        defaultValue = "4")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            System.err.println("--partitions must be at least 1");
            return 2;
        }
        DevBroker broker = DevBroker.start(dataDir, port, controllerPort, partitions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("Stopping the Kafka broker...");
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        System.out.println("Kafka broker on " + broker.bootstrap() + " (KRaft, one node), data in "
            + dataDir.toAbsolutePath() + ".");
        System.out.println("Consume source topics with: ./hearth up --kafka " + broker.bootstrap() + ". Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
