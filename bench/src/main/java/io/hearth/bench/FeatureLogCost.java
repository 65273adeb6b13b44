package io.hearth.bench;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureLogging;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import io.hearth.feedback.FeatureLogger;
import io.hearth.feedback.LogRecord;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * What logging one lookup costs the server, in CPU: a persistent node, the feature log writer, and N records of the
 * 1 x 20 lookup of {@code bench/run online} written through it as fast as it takes them. Prints the process CPU time
 * per record (the cost a gateway on one core pays beside its lookups) and the write rate. Usage:
 * {@code FeatureLogCost N DIR}.
 */
public final class FeatureLogCost {
    private FeatureLogCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        int disco = IngestBench.freePort();
        NodeSettings ns = NodeSettings.server(dir.resolve("node")).withPorts(disco, IngestBench.freePort(),
            IngestBench.freePort()).withPeers(List.of("127.0.0.1:" + disco)).withLimits(1L << 30, 64L << 20);
        try (HearthNode node = new HearthNode(ns).start()) {
            RegistryStore registry = new RegistryStore(node.ignite(), Clock.systemUTC());
            registry.apply(DefinitionsParser.parse("online.yaml", OnlineBenchServer.definitions()));
            Definitions defs = registry.definitions();
            long version = registry.current().orElseThrow().version();
            List<FeatureRef> refs = defs.featureService("f20_log").orElseThrow().features();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int round = 0; round < 3; round++) {
                try (FeatureLogger logger = new FeatureLogger(node.ignite(), FeatureLogger.Settings.defaults(),
                    new SimpleMeterRegistry()).start()) {
                    SplittableRandom r = new SplittableRandom(round);
                    long now = System.currentTimeMillis();
                    long cpu0 = os.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        FeatureValue[][] v = new FeatureValue[refs.size()][1];
                        for (int f = 0; f < refs.size(); f++) {
                            v[f][0] = new FeatureValue(r.nextInt(100_000) / 100.0, Status.PRESENT, now - r.nextInt(1_000_000));
                        }
                        logger.offer(new LogRecord("r" + round + "-" + i, "f20_log", version, Optional.empty(),
                            Optional.empty(), OptionalLong.empty(), now, List.of("user_id"),
                            List.of(List.of(OnlineQueries.user(r.nextInt(1_000_000)))), refs, v), defs,
                            FeatureLogging.Overload.BLOCK);
                    }
                    logger.flush();
                    long cpu = os.getProcessCpuTime() - cpu0;
                    long wall = System.nanoTime() - t0;
                    System.out.printf("round %d: %,d records in %.2f s (%,.0f/s), %.1f us CPU per record%n", round, n,
                        wall / 1e9, n / (wall / 1e9), cpu / 1e3 / n);
                }
            }
        }
    }
}
