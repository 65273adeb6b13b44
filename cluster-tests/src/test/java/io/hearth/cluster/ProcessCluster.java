package io.hearth.cluster;

import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CachePeekMode;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cluster.BaselineNode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Hearth cluster made of real processes on loopback, for tests: server nodes started with {@code hearth node}
 * and gateways with {@code hearth gateway}, each in its own JVM, that a test can kill with -9, restart on the same
 * data, add and remove. Every run gets its own port ranges and directories, so runs in parallel never meet.
 * Conditions (topology size, rebalance done, gateway healthy) are awaited through a thick client in the test JVM,
 * never by sleeping. {@link #close()} kills whatever is still running.
 *
 * <p>Node {@code i} (from 0) listens for discovery on {@code discoveryBase + i}; every process is given the whole
 * range as its peers, so any surviving node lets a restarted one back in.
 */
final class ProcessCluster implements AutoCloseable {
    static final int MAX_NODES = 6;
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration REBALANCE_TIMEOUT = Duration.ofSeconds(180);
    /**
     * How long the test JVM's client may take to join before its start fails and the wait polls again: a start
     * that blocks the wait keeps it from seeing a node's exit and recovering it.
     */
    static final Duration CLIENT_JOIN_TIMEOUT = Duration.ofSeconds(20);
    private static final Path JVM_OPTIONS = Path.of("../config/jvm.options").toAbsolutePath();

    private final Path dir;
    private final int discoveryBase;
    private final String heap;
    private final int regionMb;
    private final String baselineAutoAdjust;
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private HearthNode client;
    private int starts;
    /** A node was recovered (decision 0008) and the cluster may need activating by hand: see {@link #awaitServers}. */
    private boolean recovered;
    /** Kills the processes if the test JVM is stopped before {@link #close()} (SIGKILL of it leaves them, though). */
    private final Thread reaper = new Thread(this::destroyAll, "process-cluster-reaper");

    /** One server node: its place in the port range and directory outlive its processes. */
    final class NodeProcess {
        final String name;
        final int index;
        final Path dataDir;
        final int communicationPort = TestNodes.freePortBase();
        final int clientPort = TestNodes.freePortBase();
        Process process;
        Path log;
        /** Started and neither killed nor stopped since: its exit is a failure. */
        boolean wanted;

        NodeProcess(String name, int index) {
            this.name = name;
            this.index = index;
            this.dataDir = dir.resolve(name);
        }

        int discoveryPort() {
            return discoveryBase + index;
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        String consistentId() {
            try {
                return Files.readString(dataDir.resolve("node-id"), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("node " + name + " has not written its id yet", e);
            }
        }
    }

    /** A gateway process and the HTTP port it listens on. */
    record GatewayProcess(String name, int port, Process process, Path log) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** A cluster under {@code dir}: node JVMs with {@code -Xmx256m}, 96 MB regions, 4 MB WAL segments, 2 s baseline. */
    ProcessCluster(Path dir) {
        this(dir, "256m", 96, "2s");
    }

    ProcessCluster(Path dir, String heap, int regionMb, String baselineAutoAdjust) {
        this.dir = dir;
        this.heap = heap;
        this.regionMb = regionMb;
        this.baselineAutoAdjust = baselineAutoAdjust;
        this.discoveryBase = freeRange(MAX_NODES);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Discovery addresses of every node this cluster may have. */
    List<String> peers() {
        return List.of("127.0.0.1:" + discoveryBase + ".." + (discoveryBase + MAX_NODES - 1));
    }

    /** Starts a new node (a new directory) without waiting for it to join. */
    NodeProcess startNode(String name) {
        if (nodes.containsKey(name)) {
            throw new IllegalArgumentException("node " + name + " exists; restart it instead");
        }
        if (nodes.size() == MAX_NODES) {
            throw new IllegalStateException("at most " + MAX_NODES + " nodes");
        }
        NodeProcess n = new NodeProcess(name, nodes.size());
        nodes.put(name, n);
        launch(n);
        return n;
    }

    /** Starts nodes and waits until all of them are in the topology and the baseline, with data rebalanced. */
    List<NodeProcess> startNodes(String... names) {
        List<NodeProcess> started = new ArrayList<>();
        for (String name : names) {
            started.add(startNode(name));
        }
        awaitServers(aliveCount());
        awaitRebalanced();
        return started;
    }

    /** Starts a stopped or killed node again on its own data and ports, without waiting. */
    void restart(String name) {
        NodeProcess n = node(name);
        if (n.alive()) {
            throw new IllegalStateException("node " + name + " is running");
        }
        launch(n);
    }

    /** SIGKILL: the node says no goodbye; returns once the process is gone. */
    void kill(String name) {
        NodeProcess n = node(name);
        n.wanted = false;
        n.process.destroyForcibly();
        waitExit(n.process, n.log);
    }

    /** SIGTERM: the node leaves the cluster in order (the shutdown hook stops it); returns once it exited. */
    void stop(String name) {
        NodeProcess n = node(name);
        n.wanted = false;
        n.process.destroy();
        waitExit(n.process, n.log);
    }

    NodeProcess node(String name) {
        NodeProcess n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no node " + name + "; nodes: " + nodes.keySet());
        }
        return n;
    }

    Collection<NodeProcess> nodes() {
        return nodes.values();
    }

    int aliveCount() {
        return (int) nodes.values().stream().filter(NodeProcess::alive).count();
    }

    /**
     * A thick client in the test JVM joined to this cluster (started on first use, after a node is up). It watches:
     * it is up once joined, active cluster or not, so that waits see nodes that die at start and can recover them.
     */
    Ignite client() {
        if (client == null) {
            NodeSettings s = new NodeSettings(null, dir.resolve("test-client-" + starts++), null, 0, TestNodes.freePortBase(),
                0, peers(), true, 0, 0, NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
            client = new HearthNode(s).watching().tune(cfg -> ((TcpDiscoverySpi) cfg.getDiscoverySpi())
                .setJoinTimeout(CLIENT_JOIN_TIMEOUT.toMillis())).start();
        }
        return client.ignite();
    }

    /** Stops the test JVM's client, e.g. before every server goes away; {@link #client()} starts a new one. */
    void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /**
     * Waits until exactly {@code n} server nodes are in the topology. If a node had to be recovered on the way (it
     * rejoined under a new id) and the cluster is not active, activates it, as an operator would: see
     * {@link #activateAfterRecovery()}.
     */
    void awaitServers(int n) {
        await("server nodes == " + n, START_TIMEOUT, () -> client().cluster().forServers().nodes().size() == n);
        if (recovered) {
            activateAfterRecovery();
        }
    }

    /**
     * A recovered node comes back under a new id. In an active cluster the baseline follows it (auto-adjust). After
     * a full restart the cluster is inactive, and Ignite activates it by itself only once every node of its baseline
     * is back, which the old id never will be: the cluster would wait for ever. The operator's steps are to activate
     * it with the nodes present ({@code control.sh --set-state ACTIVE}; every partition still has a copy on them) and
     * to set the baseline to them ({@code control.sh --baseline version}): auto-adjust follows changes of the
     * topology, and after the activation there is none. Done only when a baseline node is missing, and loudly.
     */
    private void activateAfterRecovery() {
        Ignite ig = client();
        recovered = false;
        if (ig.cluster().state() == ClusterState.ACTIVE || ig.cluster().currentBaselineTopology() == null) {
            return;
        }
        Set<Object> live = ig.cluster().forServers().nodes().stream().map(ClusterNode::consistentId)
            .collect(Collectors.toSet());
        Set<Object> missing = ig.cluster().currentBaselineTopology().stream().map(BaselineNode::consistentId)
            .filter(id -> !live.contains(id)).collect(Collectors.toSet());
        if (!missing.isEmpty()) {
            System.out.println("ProcessCluster: the cluster waits for baseline node(s) " + missing + " that a recovery"
                + " replaced (decision 0008); activating it with the " + live.size() + " nodes present, as an operator"
                + " would");
            ig.cluster().state(ClusterState.ACTIVE);
            long timeout = ig.cluster().baselineAutoAdjustTimeout();
            ig.cluster().baselineAutoAdjustEnabled(false); // a manual baseline change is refused while it is on
            ig.cluster().setBaselineTopology(ig.cluster().topologyVersion());
            ig.cluster().baselineAutoAdjustTimeout(timeout);
            ig.cluster().baselineAutoAdjustEnabled(true);
        }
    }

    /**
     * Waits until every running node has started, the baseline is the set of running servers and every partitioned
     * cache has all its copies in place: each partition has a primary and its backups on distinct live nodes, no
     * partition is still moving, and every server is primary for some partitions. With late affinity assignment the
     * assignment changes only once the copies are rebalanced, so this is "rebalance finished", not just "rebalance
     * planned".
     */
    void awaitRebalanced() {
        await("nodes started, baseline == servers and rebalance finished", REBALANCE_TIMEOUT, this::rebalanced);
    }

    private boolean rebalanced() throws IOException {
        if (!started()) {
            return false;
        }
        Ignite ig = client();
        Collection<ClusterNode> servers = ig.cluster().forServers().nodes();
        Collection<BaselineNode> baseline = ig.cluster().currentBaselineTopology();
        if (baseline == null) {
            return false;
        }
        Set<Object> live = servers.stream().map(ClusterNode::consistentId).collect(Collectors.toSet());
        Set<Object> base = baseline.stream().map(BaselineNode::consistentId).collect(Collectors.toSet());
        if (!live.equals(base)) {
            return false;
        }
        for (String cacheName : ig.cacheNames()) {
            CacheConfiguration<?, ?> cfg = ig.cache(cacheName).getConfiguration(CacheConfiguration.class);
            if (cfg.getCacheMode() != CacheMode.PARTITIONED || cfg.getBackups() == 0) {
                continue;
            }
            int copies = Math.min(cfg.getBackups() + 1, servers.size());
            Affinity<Object> aff = ig.affinity(cacheName);
            Set<Object> primaries = new HashSet<>();
            for (int p = 0; p < aff.partitions(); p++) {
                Collection<ClusterNode> owners = aff.mapPartitionToPrimaryAndBackups(p);
                if (owners.size() != copies) {
                    return false;
                }
                primaries.add(owners.iterator().next().consistentId());
            }
            if (!primaries.equals(live)) {
                return false;
            }
        }
        Collection<Integer> moving = ig.compute(ig.cluster().forServers()).broadcast(new MovingPartitions());
        return moving.stream().allMatch(m -> m == 0);
    }

    /** On a server: partitions of its caches that are still being filled (MOVING). */
    static final class MovingPartitions implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;
        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public Integer call() {
            int n = 0;
            for (String c : ignite.cacheNames()) {
                n += ignite.cache(c).localMetrics().getRebalancingPartitionsCount();
            }
            return n;
        }
    }

    /** Per node (by consistent id), the primary entries it holds of a cache. */
    Map<Object, Integer> primaryEntries(String cacheName) {
        Ignite ig = client();
        Map<Object, Integer> out = new HashMap<>();
        for (Object[] idAndSize : ig.compute(ig.cluster().forServers()).broadcast(new PrimarySize(cacheName))) {
            out.put(idAndSize[0], (Integer) idAndSize[1]);
        }
        return out;
    }

    /** On a server: its consistent id and how many primary entries of a cache it holds. */
    static final class PrimarySize implements IgniteCallable<Object[]> {
        private static final long serialVersionUID = 1L;
        private final String cacheName;
        @IgniteInstanceResource
        private transient Ignite ignite;

        PrimarySize(String cacheName) {
            this.cacheName = cacheName;
        }

        @Override
        public Object[] call() {
            IgniteCache<Object, Object> c = ignite.cache(cacheName);
            return new Object[] {ignite.cluster().localNode().consistentId(), c == null ? 0 : c.localSize(CachePeekMode.PRIMARY)};
        }
    }

    /** Starts a gateway process joined to this cluster (extra CLI arguments appended) and waits until it is healthy. */
    GatewayProcess startGateway(String name, String... extraArgs) {
        int port = TestNodes.freePort();
        List<String> args = new ArrayList<>(List.of("gateway", "--peers", String.join(",", peers()), "--port",
            String.valueOf(port)));
        args.addAll(List.of(extraArgs));
        Path log = dir.resolve(name + "-" + starts++ + ".log");
        GatewayProcess g = new GatewayProcess(name, port, spawn(args, log), log);
        gateways.add(g);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("gateway " + name + " healthy", START_TIMEOUT, () -> {
            if (!g.process().isAlive()) {
                return true; // reported below
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(g.url() + "/health")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        if (!g.process().isAlive()) {
            throw new AssertionError("gateway " + name + " exited:\n" + tail(log, 40));
        }
        return g;
    }

    /** Lines of every process log of this cluster so far that contain {@code text}. */
    long linesInLogs(String text) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            long n = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                try (java.util.stream.Stream<String> lines = Files.lines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    n += lines.filter(l -> l.contains(text)).count();
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a one-shot CLI command against this cluster (its peers appended as --peers); returns its output. */
    String runCli(String command, String... args) {
        List<String> cli = new ArrayList<>(List.of(command));
        cli.addAll(List.of(args));
        cli.addAll(List.of("--peers", String.join(",", peers())));
        Path log = dir.resolve(command + "-" + starts++ + ".log");
        Process p = spawn(cli, log);
        waitExit(p, log);
        String out = tail(log, 200);
        if (p.exitValue() != 0) {
            throw new AssertionError("hearth " + cli + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** SIGKILL of a gateway; returns once it is gone. */
    void kill(GatewayProcess g) {
        g.process().destroyForcibly();
        waitExit(g.process(), g.log());
    }

    private void launch(NodeProcess n) {
        List<String> args = List.of("node", "--data-dir", n.dataDir.toString(), "--peers", String.join(",", peers()),
            "--discovery-port", String.valueOf(n.discoveryPort()), "--communication-port",
            String.valueOf(n.communicationPort), "--client-port", String.valueOf(n.clientPort), "--region-mb",
            String.valueOf(regionMb), "--wal-segment-mb", "4", "--baseline-auto-adjust", baselineAutoAdjust,
            "--fold-after", "300ms"); // folds all the time: kills land in the middle of folds and merges
        n.log = dir.resolve(n.name + "-" + starts++ + ".log");
        n.process = spawn(args, n.log);
        n.wanted = true;
    }

    private Process spawn(List<String> cliArgs, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + JVM_OPTIONS);
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC"); // two cores shared by several JVMs: no parallel GC threads fighting
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.hearth.cli.HearthCli");
        cmd.addAll(cliArgs);
        try {
            Files.createDirectories(dir);
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    private static void waitExit(Process p, Path log) {
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("process " + p.pid() + " did not exit in 120 s; log:\n" + tail(log, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for process " + p.pid(), e);
        }
    }

    /** The last lines of every node's current log, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (NodeProcess n : nodes.values()) {
            if (n.log != null) {
                b.append("--- ").append(n.name).append(n.alive() ? " (running)" : " (exited)").append(", ").append(n.log)
                    .append('\n').append(tail(n.log, 15));
            }
        }
        return b.toString();
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }

    private void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> !recoverBaselineHistory() && (deadNode() != null || condition.call()));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " not reached in " + timeout + "\n" + logs(), e);
        }
        if (deadNode() != null) {
            throw new AssertionError("node " + deadNode() + " exited while waiting for " + what + "\n" + logs());
        }
    }

    /**
     * Ignite sometimes cannot restart a node killed with -9 ("Restoring of BaselineTopology history has failed": it
     * writes a baseline and its history in separate steps, decision 0008). This applies the recovery 0008 gives
     * operators: the node's data directory is deleted and the node started again; it rejoins under a new id and gets
     * its partitions back from the copies on the other nodes. Loudly, and once per failed start. Returns whether it
     * started a node.
     */
    private boolean recoverBaselineHistory() throws IOException {
        for (NodeProcess n : nodes.values()) {
            if (n.wanted && !n.alive() && n.log != null
                && Files.readString(n.log, StandardCharsets.UTF_8).contains("Restoring of BaselineTopology history has failed")) {
                System.out.println("ProcessCluster: node " + n.name + " did not start after a kill -9: Ignite's baseline"
                    + " history failure (decision 0008); deleting " + n.dataDir + " and starting it again, as an operator"
                    + " would. Its log: " + n.log);
                startAfresh(n.name);
                return true;
            }
        }
        return false;
    }

    /** The recovery of decision 0008 for a node that is not running: its data directory deleted, started again. */
    void startAfresh(String name) throws IOException {
        NodeProcess n = node(name);
        if (n.alive()) {
            throw new IllegalStateException("node " + name + " is running");
        }
        try (var files = Files.walk(n.dataDir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        launch(n);
        recovered = true;
    }

    /**
     * Whether every running node has finished its start (said so in its log): its caches created, its folds going.
     * The client only watches, so it does not create Hearth's caches itself.
     */
    private boolean started() throws IOException {
        for (NodeProcess n : nodes.values()) {
            if (n.alive() && !Files.readString(n.log, StandardCharsets.UTF_8).contains(" is up; ")) {
                return false;
            }
        }
        return true;
    }

    /** A node that exited without being killed or stopped, or null. */
    private String deadNode() {
        return nodes.values().stream().filter(n -> n.wanted && !n.alive()).map(n -> n.name).findFirst().orElse(null);
    }

    /** A base port with {@code n} free ports above it. */
    private static int freeRange(int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = TestNodes.freePortBase();
            boolean free = true;
            for (int i = 3; i < n && free; i++) {
                free = isFree(base + i);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no range of " + n + " free ports found");
    }

    private static boolean isFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closeClient();
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
        for (GatewayProcess g : gateways) {
            waitQuietly(g.process());
        }
        for (NodeProcess n : nodes.values()) {
            if (n.process != null) {
                waitQuietly(n.process);
            }
        }
    }

    private void destroyAll() {
        for (GatewayProcess g : gateways) {
            g.process().destroyForcibly();
        }
        for (NodeProcess n : nodes.values()) {
            if (n.process != null) {
                n.process.destroyForcibly();
            }
        }
    }

    private static void waitQuietly(Process p) {
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
