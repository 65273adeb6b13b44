package io.hearth.cli;

import io.hearth.connectors.kafka.KafkaBridge;
import io.hearth.gateway.HearthGateway;
import io.hearth.cli.Demo;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import java.nio.file.Path;
import java.time.Clock;
import io.hearth.security.access.Exposure;
import io.hearth.security.keys.KeyFileWatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth up}: one server node and the gateway in this process, demo loaded on first run. */
@Command(name = "up", description = "Run Hearth embedded: one server node (data on local disk) and the HTTP gateway, "
    + "with demo definitions and data on first run.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Where the node keeps its data (default: ${DEFAULT-VALUE}).",
        defaultValue = "hearth-data")
    Path dataDir;

    @Option(names = "--port", paramLabel = "N", description = "Gateway HTTP port (default: 6566, or the next free one).")
    Integer port;

    @Option(names = "--client-port", paramLabel = "N", description = "Thin client / JDBC port (default: 10800, or the "
        + "next free one).")
    Integer clientPort;

    @picocli.CommandLine.Mixin
    PortOptions ports = new PortOptions();

    @Option(names = "--no-demo", description = "Do not load the demo definitions and data.")
    boolean noDemo;

    @Option(names = "--config", description = "Spring XML base node configuration (default: the bundled config/node.xml).")
    Path config;

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
        HearthNode.checkDataDirFree(dataDir);
        Optional<KeyFileWatch> keys = serve.keys(); // a broken key file stops us before anything starts
        // checked before the node starts: a bad URL or file fails the command at once
        HearthGateway.Settings gs = serve.apply(HearthGateway.Settings.defaults(0), keys)
            .withOpenLineage(openLineage.settings());
        Exposure.checkGateway(gs.host(), keys.isPresent(), serve.insecure);
        int disco = ports.discovery();
        int client = PortOptions.choose(clientPort, PortOptions.CLIENT, "--client-port");
        NodeSettings settings = NodeSettings.server(dataDir).withConfig(config)
            .withPorts(disco, ports.communication(), client)
            .withPeers(List.of("127.0.0.1:" + disco))
            .withSecurity(secret.readOrCreate(serve.insecure));
        int http = PortOptions.choose(port, PortOptions.HTTP, "--port");
        long t0 = System.nanoTime();
        HearthNode node = new HearthNode(settings).start();
        HearthGateway gateway;
        try {
            gateway = new HearthGateway(node.ignite(), gs.withPort(http), Clock.systemUTC()).start();
        } catch (RuntimeException e) {
            node.close();
            keys.ifPresent(KeyFileWatch::close);
            throw e;
        }
        KafkaBridge bridge = kafka.start(gateway);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (bridge != null) {
                bridge.close();
            }
            System.err.println("Stopping Hearth...");
            gateway.close();
            keys.ifPresent(KeyFileWatch::close);
            node.close();
            stopped.countDown();
        }, "hearth-shutdown"));
        String url = serve.url(gateway);
        if (!noDemo && gateway.registry().current().isEmpty()) {
            System.out.println("Loading demo definitions and data...");
            Demo.Loaded d = Demo.load(gateway.registry(), gateway.ingest().pipeline(), System.currentTimeMillis());
            System.out.printf("Demo loaded: registry version %d, %d order and %d profile records accepted, %d rejected "
                + "(see %s/v1/quarantine).%n", d.version(), d.orders(), d.profiles(), d.rejected(), url);
            // Definitions changed without a request: the trail says who did it all the same.
            gateway.audit().append(new io.hearth.security.audit.AuditEntry(System.currentTimeMillis(), "cli:"
                + System.getProperty("user.name"), "registry.apply", "CLI", "up (demo definitions)", "localhost",
                node.ignite().name(), 200, "registry version " + d.version()));
        }
        System.out.printf("%nHearth is up in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("  gateway    " + url + "   (API: " + url + "/openapi.yaml, metrics: " + url + "/metrics)");
        keys.ifPresent(k -> System.out.println("  keys       " + k.keys().size() + " from " + serve.authFile + "   (send "
            + "'Authorization: Bearer <secret>'; client commands take HEARTH_TOKEN; edits apply within a second)"));
        System.out.println("  SQL        jdbc:ignite:thin://127.0.0.1:" + client + "   (or: ./hearth sql "
            + (secret.file == null ? "" : "--cluster-secret " + secret.file + " ") + "\"SELECT ...\")");
        if (gateway.port() != PortOptions.HTTP) {
            System.out.println("  clients    export HEARTH_URL=" + url + "   (client commands then reach this gateway)");
        }
        System.out.println("  cluster    127.0.0.1:" + disco + "   (grow it: ./hearth node --peers 127.0.0.1:" + disco
            + (secret.file == null ? "" : " --cluster-secret " + secret.file) + ")");
        System.out.println("  data       " + dataDir.toAbsolutePath());
        if (kafka.bootstrap != null) {
            System.out.println("  kafka      " + kafka.bootstrap + "   (consuming the topics of sources with streams.kafka.topic, "
                + "group " + kafka.group + ")");
        }
        System.out.println();
        System.out.println("Try:");
        String auth = (keys.isPresent() ? " -H \"Authorization: Bearer $HEARTH_TOKEN\"" : "")
            + (gateway.scheme().equals("https") ? " --cacert CA.pem" : "");
        System.out.println("  curl -s -X POST " + url + "/get-online-features -H 'Content-Type: application/json'" + auth + " \\");
        System.out.println("    -d '{\"features\":[\"customer_orders:last_amount\",\"customer_orders:purchase_frequency_30d\","
            + "\"customer_profile:tier\"],\"entities\":{\"customer_id\":[\"C1001\",\"C1002\"]}}'");
        System.out.println("  curl -s -X POST " + url + "/v1/features/online -H 'Content-Type: application/json'" + auth + " \\");
        System.out.println("    -d '{\"feature_service\":\"churn_model_v1\",\"entities\":{\"customer_id\":[\"C1001\"]}}'");
        System.out.println();
        System.out.println("Ctrl-C stops Hearth; the data stays in " + dataDir + ".");
        stopped.await();
        return 0;
    }
}
