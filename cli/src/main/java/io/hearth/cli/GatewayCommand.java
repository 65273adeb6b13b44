package io.hearth.cli;

import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth gateway}: a stateless gateway that joins the cluster as a thick client. */
@Command(name = "gateway", description = "Run a stateless HTTP gateway that joins a running cluster as a thick client.")
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--peers", split = ",", required = true, paramLabel = "HOST:PORT[..PORT]",
        description = "Discovery addresses of the cluster's server nodes.")
    List<String> peers;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: 6566, or the next free one).")
    Integer port;

    @Option(names = "--communication-port", paramLabel = "N", description = "Ignite communication port this gateway "
        + "binds (default: 47100, or the next free one).")
    Integer communicationPort;

    @picocli.CommandLine.Mixin
    KafkaOptions kafka = new KafkaOptions();

    @picocli.CommandLine.Mixin
    OpenLineageOptions openLineage = new OpenLineageOptions();

    @Override
    public Integer call() throws Exception {
        int communication = PortOptions.choose(communicationPort, PortOptions.COMMUNICATION, "--communication-port");
        NodeSettings s = new NodeSettings(null, null, null, 0, communication, 0, peers, true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
        int http = PortOptions.choose(port, PortOptions.HTTP, "--port");
        // checked before the node starts: a bad URL or file fails the command at once
        HearthGateway.Settings gs = HearthGateway.Settings.defaults(http).withOpenLineage(openLineage.settings());
        HearthNode client = new HearthNode(s).start();
        HearthGateway gateway;
        try {
            gateway = new HearthGateway(client.ignite(), gs, Clock.systemUTC()).start();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        KafkaBridge bridge = kafka.start(gateway);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (bridge != null) {
                bridge.close();
            }
            gateway.close();
            client.close();
            stopped.countDown();
        }, "hearth-shutdown"));
        System.out.println("Hearth gateway on http://127.0.0.1:" + gateway.port() + ", joined the cluster at " + peers
            + (kafka.bootstrap == null ? "" : ", consuming Kafka at " + kafka.bootstrap) + ". Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
