package io.hearth.bench;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureLogging;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import io.hearth.feedback.FeatureLogger;
import io.hearth.feedback.LogRecord;
import io.hearth.feedback.RequestIds;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * What logging one lookup costs the server, in CPU: a persistent node, the feature log writer, and N records of the
 * 1 x 20 lookup of {@code bench/run online} written through it as fast as it takes them. Prints the process CPU time
 * per record (the cost a gateway on one core pays beside its lookups) and the write rate. Usage:
 * {@code FeatureLogCost N DIR [ROUNDS]} (3 rounds unless told: the first warms up).
 */
public final class FeatureLogCost {
    private FeatureLogCost() {
    }

    /** Milliseconds the collectors took so far (on one core, about the CPU they took). */
    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    /** CPU nanoseconds of the live threads so far, by name with digits as #. */
    static Map<String, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            long c = t == null ? -1 : mx.getThreadCpuTime(t.getThreadId());
            if (c > 0) {
                out.merge(t.getThreadName().replaceAll("[0-9a-f]{6,}", "").replaceAll("\\d+", "#"), c, Long::sum);
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Clock clock = Clock.systemUTC();
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
            // The feature log's indexes and how much of their keys they hold inline (a key not held whole is read from its row).
            node.ignite().cache(io.hearth.node.CacheLayout.FEATURE_LOG).query(new org.apache.ignite.cache.query.SqlFieldsQuery(
                "SELECT INDEX_NAME, COLUMNS, INLINE_SIZE FROM SYS.INDEXES WHERE TABLE_NAME = 'FEATURE_LOG'")).getAll()
                .forEach(row -> System.out.println("index " + row));
            int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
            for (int round = 0; round < rounds; round++) {
                try (FeatureLogger logger = new FeatureLogger(node.ignite(), FeatureLogger.Settings.defaults(),
                    new SimpleMeterRegistry()).start()) {
                    SplittableRandom r = new SplittableRandom(round);
                    long now = System.currentTimeMillis();
                    long cpu0 = os.getProcessCpuTime();
                    Map<String, Long> threads0 = threadCpu();
                    long gc0 = gcMillis();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        FeatureValue[][] v = new FeatureValue[refs.size()][1];
                        for (int f = 0; f < refs.size(); f++) {
                            v[f][0] = new FeatureValue(r.nextInt(100_000) / 100.0, Status.PRESENT, now - r.nextInt(1_000_000));
                        }
                        // As a gateway logs: generated ids (UUIDv7), the clock's time
                        logger.offer(new LogRecord(RequestIds.generate(clock), "f20_log", version, Optional.empty(),
                            Optional.empty(), OptionalLong.empty(), clock.millis(), List.of("user_id"),
                            List.of(List.of(OnlineQueries.user(r.nextInt(1_000_000)))), refs, v), defs,
                            FeatureLogging.Overload.BLOCK);
                    }
                    logger.flush();
                    long cpu = os.getProcessCpuTime() - cpu0;
                    long wall = System.nanoTime() - t0;
                    Map<String, Long> threads1 = threadCpu();
                    StringBuilder by = new StringBuilder(String.format(", GC pauses %.1f", (gcMillis() - gc0) * 1e3 / n));
                    threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                        .filter(e -> e.getValue() > n * 500L).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> by.append(String.format(", %s %.1f", e.getKey(), e.getValue() / 1e3 / n)));
                    System.out.printf("round %d: %,d records in %.2f s (%,.0f/s), %.1f us CPU per record (by thread%s)%n", round, n,
                        wall / 1e9, n / (wall / 1e9), cpu / 1e3 / n, by);
                }
            }
        }
    }
}
