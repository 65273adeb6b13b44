package io.hearth.cli;

import io.hearth.catalog.Durations;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth node}: a server node that joins (or starts) a cluster. */
@Command(name = "node", description = "Run a Hearth server node: it joins the nodes given by --peers (or the "
    + "configuration's addresses) and holds a share of the data.")
final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Spring XML base configuration (default: the bundled config/node.xml).")
    Path config;

    @Option(names = "--data-dir", description = "Where this node keeps its data (default: ${DEFAULT-VALUE}).",
        defaultValue = "hearth-node-data")
    Path dataDir;

    @Option(names = "--peers", split = ",", paramLabel = "HOST:PORT[..PORT]",
        description = "Discovery addresses of the cluster (default: the configuration's).")
    List<String> peers;

    @Option(names = "--discovery-port", paramLabel = "N", description = "Discovery port (default: the configuration's "
        + "range from 47500); a taken port is replaced by the next free one, which the node says.")
    Integer discoveryPort;

    @Option(names = "--communication-port", paramLabel = "N", description = "Communication port (default: the "
        + "configuration's range from 47100); a taken one is replaced likewise.")
    Integer communicationPort;

    @Option(names = "--client-port", paramLabel = "N", description = "Thin client / JDBC port (default: 10800 or "
        + "the configuration's); a taken one is replaced likewise.")
    Integer clientPort;

    @Option(names = "--region-mb", description = "Cap of the persistent data region in MB (default: the configuration's, "
        + "1024). Several nodes on one machine want less.")
    long regionMb;

    @Option(names = "--wal-segment-mb", description = "WAL segment size in MB (default: the configuration's, 16).")
    long walSegmentMb;

    @Option(names = "--baseline-auto-adjust", paramLabel = "DURATION", description = "How long the set of server nodes "
        + "must stay unchanged before the baseline follows it, e.g. 10s (default: ${DEFAULT-VALUE}). A node that leaves "
        + "for longer than this is dropped from the baseline and its partitions are copied again to the others.",
        defaultValue = "10s")
    String baselineAutoAdjust;

    @Option(names = "--compact-every", paramLabel = "DURATION", description = "How often this node drops the events "
        + "of its primary partitions that no answer inside their source's retention can read (default: "
        + "${DEFAULT-VALUE}). Sources without a retention keep every event.", defaultValue = "1h")
    String compactEvery;

    @Option(names = "--fold-after", paramLabel = "DURATION", description = "How long events may wait in the log of "
        + "this node's partitions before they are folded into their entities' blocks, however few there are "
        + "(default: ${DEFAULT-VALUE}). Reads merge the log until then; shorter makes ingest cost more.",
        defaultValue = "20s")
    String foldAfter;

    @picocli.CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @Option(names = "--insecure", description = "Let a configuration that listens beyond loopback run without TLS and a "
        + "grid login (--cluster-secret): only on a network you trust.")
    boolean insecure;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long adjust = Durations.parseMillis(baselineAutoAdjust);
        if (adjust < 0) {
            throw new ParameterException(spec.commandLine(), "--baseline-auto-adjust: expected a "
                + "duration such as 500ms, 10s or 1m, got '" + baselineAutoAdjust + "'");
        }
        long compact = Durations.parseMillis(compactEvery);
        if (compact < 0) {
            throw new ParameterException(spec.commandLine(), "--compact-every: expected a duration such as 10m or 1h, got '"
                + compactEvery + "'");
        }
        long fold = Durations.parseMillis(foldAfter);
        if (fold <= 0) {
            throw new ParameterException(spec.commandLine(), "--fold-after: expected a duration such as 500ms or 20s, got '"
                + foldAfter + "'");
        }
        HearthNode.checkDataDirFree(dataDir);
        NodeSettings s = NodeSettings.server(dataDir).withConfig(config)
            .withPorts(discoveryPort == null ? 0 : PortOptions.choose(discoveryPort, 0, "--discovery-port"),
                communicationPort == null ? 0 : PortOptions.choose(communicationPort, 0, "--communication-port"),
                clientPort == null ? 0 : PortOptions.choose(clientPort, 0, "--client-port")).withPeers(peers)
            .withLimits(regionMb << 20, walSegmentMb << 20)
            .withBaselineAutoAdjustMillis(adjust)
            .withSecurity(secret.readOrCreate(insecure));
        HearthNode node = new HearthNode(s).compactEvery(compact).foldAfter(fold).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "hearth-shutdown"));
        System.out.println("Hearth node " + node.ignite().cluster().localNode().consistentId() + " is up; "
            + node.ignite().cluster().forServers().nodes().size() + " server node(s) in the cluster. Ctrl-C stops it.");
        stopped.await();
        return 0;
    }
}
