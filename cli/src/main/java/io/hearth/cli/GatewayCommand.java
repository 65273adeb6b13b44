package io.hearth.cli;

import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import java.time.Clock;
import io.hearth.security.access.Exposure;
import io.hearth.security.keys.KeyFileWatch;
import java.util.List;
import java.util.Optional;
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
    ServeOptions serve = new ServeOptions();

    @picocli.CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @picocli.CommandLine.Mixin
    OpenLineageOptions openLineage = new OpenLineageOptions();

    @Override
    public Integer call() throws Exception {
        Optional<KeyFileWatch> keys = serve.keys();
        // checked before the node starts: a bad URL or file fails the command at once
        HearthGateway.Settings gs = serve.apply(HearthGateway.Settings.defaults(0), keys)
            .withOpenLineage(openLineage.settings());
        Exposure.checkGateway(gs.host(), keys.isPresent(), serve.insecure);
        int communication = PortOptions.choose(communicationPort, PortOptions.COMMUNICATION, "--communication-port");
        NodeSettings s = new NodeSettings(null, null, null, 0, communication, 0, peers, true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS, secret.read(serve.insecure));
        int http = PortOptions.choose(port, PortOptions.HTTP, "--port");
        HearthNode client = new HearthNode(s).start();
        HearthGateway gateway;
        try {
            gateway = new HearthGateway(client.ignite(), gs.withPort(http), Clock.systemUTC()).start();
        } catch (RuntimeException e) {
            client.close();
            keys.ifPresent(KeyFileWatch::close);
            throw e;
        }
        KafkaBridge bridge = kafka.start(gateway);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (bridge != null) {
                bridge.close();
            }
            gateway.close();
            keys.ifPresent(KeyFileWatch::close);
            client.close();
            stopped.countDown();
        }, "hearth-shutdown"));
        System.out.println("Hearth gateway on " + serve.url(gateway) + (keys.isPresent() ? " (API keys from "
            + serve.authFile + ")" : "") + ", joined the cluster at " + peers
            + (kafka.bootstrap == null ? "" : ", consuming Kafka at " + kafka.bootstrap) + ". Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
