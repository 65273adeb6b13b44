package io.hearth.node;

import io.hearth.node.codec.EventCodecs;
import io.hearth.node.store.RegistryStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterState;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.logger.slf4j.Slf4jLogger;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hearth grid member: an Ignite server node with native persistence (or a thick client for a gateway),
 * configured from Spring XML plus {@link NodeSettings}. On the first start of a cluster it activates it; it
 * turns on baseline auto-adjust so that added nodes receive data; it creates Hearth's fixed caches.
 * {@link #start()} blocks until the node can serve; {@link #close()} stops it gracefully.
 */
public final class HearthNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HearthNode.class);

    private final NodeSettings settings;
    private Ignite ignite;
    private long compactEveryMillis = 3_600_000;
    private java.util.concurrent.ScheduledExecutorService compaction;
    private io.hearth.compute.events.LogMaintenance.Settings foldSettings = io.hearth.compute.events.LogMaintenance
        .Settings.defaults(io.hearth.node.store.EventStore.TARGET_BLOCK_SIZE, io.hearth.node.store.EventStore.TAIL_SIZE);
    private io.hearth.node.fold.LogFolder folder;
    private java.util.function.Consumer<IgniteConfiguration> tuning = c -> { };
    private boolean watchOnly;

    /**
     * For a client that watches a cluster rather than serves it (test harnesses, tools): {@link #start()} returns as
     * soon as it has joined, without waiting for the cluster to activate or creating caches, so that it can see a
     * cluster that is not active, or never will be, and what its nodes are doing. Before {@link #start()}.
     */
    public HearthNode watching() {
        if (!settings.client()) {
            throw new IllegalStateException("only a client node can watch");
        }
        this.watchOnly = true;
        return this;
    }

    /**
     * Changes the Ignite configuration this node starts with, after Hearth's settings: for benchmarks that measure
     * Ignite's levers (checkpoints, WAL, thread pools). Before {@link #start()}.
     */
    public HearthNode tune(java.util.function.Consumer<IgniteConfiguration> change) {
        this.tuning = change;
        return this;
    }

    /**
     * How long events may wait in this node's partitions' logs before they are folded into their entities' blocks,
     * however few an entity has there. Shorter: reads merge less, writes cost more. Before {@link #start()}.
     */
    public HearthNode foldAfter(long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException("fold-after must be positive, got " + millis);
        }
        this.foldSettings = foldSettings.withFold(foldSettings.foldPerEntity(), foldSettings.foldEvents(), millis);
        return this;
    }

    /** When this node merges and folds its partitions' logs ({@link io.hearth.node.fold.LogFolder}). Before {@link #start()}. */
    public HearthNode foldSettings(io.hearth.compute.events.LogMaintenance.Settings settings) {
        this.foldSettings = settings;
        return this;
    }

    /** How often this node compacts its primary partitions ({@link Compactor}); 0 never. Set before {@link #start()}. */
    public HearthNode compactEvery(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("compaction interval must be 0 (never) or positive, got " + millis);
        }
        this.compactEveryMillis = millis;
        return this;
    }

    /**
     * Fails at once, in one line, when another process holds {@code dataDir}: for commands that have more to
     * set up before the node starts (ports) and should not report that first.
     */
    public static void checkDataDirFree(Path dataDir) {
        DataDirLock.acquire(dataDir).close();
    }

    /** Held while a server node runs: one Hearth per data directory. */
    private DataDirLock lock;

    public HearthNode(NodeSettings settings) {
        this.settings = settings;
    }

    public HearthNode start() {
        if (!settings.client()) {
            lock = DataDirLock.acquire(settings.dataDir());
        }
        IgniteConfiguration cfg = configuration(settings);
        tuning.accept(cfg);
        long t0 = System.nanoTime();
        try {
            ignite = Ignition.start(cfg);
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
        if (!settings.client()) {
            boolean activatedHere = false;
            if (ignite.cluster().state() != ClusterState.ACTIVE) {
                if (ignite.cluster().currentBaselineTopology() == null) {
                    LOG.info("First start of this cluster: activating it with baseline {}", ignite.cluster().forServers().nodes().size());
                    ignite.cluster().state(ClusterState.ACTIVE);
                    activatedHere = true;
                } else {
                    LOG.info("Waiting for the other baseline nodes to join before the cluster activates");
                }
            }
            awaitActive();
            if (settings.security().login().isPresent()) {
                try {
                    GridUsers.ensure(clientAddress(), settings.security());
                } catch (RuntimeException e) {
                    close();
                    throw e;
                }
            }
            configureBaselineAutoAdjust();
            // A node that joined while the cluster activated had its baseline change scheduled with Ignite's default
            // timeout, five minutes (seen: three nodes started together kept a baseline of one, all data on one node,
            // for five minutes). Take every node that has joined by now; later joins are scheduled with the timeout
            // just set. (A manual baseline change is refused while auto-adjust is on.)
            for (int i = 0; activatedHere && i < 5 && !baselineIsTopology(); i++) {
                ignite.cluster().baselineAutoAdjustEnabled(false);
                ignite.cluster().setBaselineTopology(ignite.cluster().topologyVersion());
                configureBaselineAutoAdjust();
                LOG.info("Baseline set to the {} server node(s) present", ignite.cluster().currentBaselineTopology().size());
            }
        } else if (watchOnly) {
            LOG.info("Hearth client {} watching a cluster of {} server node(s), state {}", ignite.name(),
                ignite.cluster().forServers().nodes().size(), ignite.cluster().state());
            return this;
        } else {
            awaitActive();
        }
        createFixedCaches();
        if (!settings.client()) {
            folder = new io.hearth.node.fold.LogFolder(ignite, foldSettings).start();
        }
        if (!settings.client() && compactEveryMillis > 0) {
            compaction = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hearth-compaction");
                t.setDaemon(true);
                return t;
            });
            compaction.scheduleWithFixedDelay(this::compactNow, compactEveryMillis, compactEveryMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        LOG.info("Hearth node {} up in {} ms ({} server node(s) in the cluster)", ignite.cluster().localNode().consistentId(),
            (System.nanoTime() - t0) / 1_000_000, ignite.cluster().forServers().nodes().size());
        return this;
    }

    /** This node's thin-client address, as a client on this machine reaches it. */
    private String clientAddress() {
        IgniteConfiguration cfg = ignite.configuration();
        String host = cfg.getClientConnectorConfiguration().getHost() != null
            ? cfg.getClientConnectorConfiguration().getHost() : cfg.getLocalHost();
        if (host == null || host.isBlank() || host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return host + ":" + ignite.cluster().localNode().attribute("clientListenerPort");
    }

    /** Timeout first, then enable: enabling first would let a join in between be scheduled with the old timeout. */
    private void configureBaselineAutoAdjust() {
        ignite.cluster().baselineAutoAdjustTimeout(settings.baselineAutoAdjustMillis());
        ignite.cluster().baselineAutoAdjustEnabled(true);
    }

    /**
     * Ignite refuses to start caches while a cluster state change (activation, a baseline change, often made by
     * another node that is starting or by auto-adjust) is in progress: seen as a node of three exiting at start.
     * Such a refusal passes in a moment, so try again for up to a minute.
     */
    private void createFixedCaches() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int attempt = 1; ; attempt++) {
            try {
                CacheLayout.createFixedCaches(ignite);
                if (!settings.client()) {
                    // Sources defined before their log existed (data of an earlier version) get it now.
                    for (io.hearth.catalog.Source src : new RegistryStore(ignite, java.time.Clock.systemUTC()).definitions()
                        .sources()) {
                        CacheLayout.createSourceCaches(ignite, src.name());
                    }
                }
                return;
            } catch (javax.cache.CacheException | org.apache.ignite.IgniteException e) {
                if (!stateChangeInProgress(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("Cluster state change in progress; creating Hearth's caches again (attempt {})", attempt + 1);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating caches", ie);
                }
            }
        }
    }

    private static boolean stateChangeInProgress(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("cluster state change is in progress")) {
                return true;
            }
        }
        return false;
    }

    private boolean baselineIsTopology() {
        Set<Object> servers = new HashSet<>();
        ignite.cluster().forServers().nodes().forEach(n -> servers.add(n.consistentId()));
        Set<Object> baseline = new HashSet<>();
        ignite.cluster().currentBaselineTopology().forEach(n -> baseline.add(n.consistentId()));
        return servers.equals(baseline);
    }

    private void awaitActive() {
        while (ignite.cluster().state() != ClusterState.ACTIVE) {
            try {
                Thread.sleep(100); // the cluster activates when the last baseline node joins; nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the cluster to activate", e);
            }
        }
    }

    public Ignite ignite() {
        if (ignite == null) {
            throw new IllegalStateException("node not started");
        }
        return ignite;
    }

    private void compactNow() {
        try {
            Compactor.onThisNode(ignite, new RegistryStore(ignite, java.time.Clock.systemUTC()).definitions(),
                System.currentTimeMillis());
        } catch (Throwable e) { // an escaping throwable would cancel the schedule for good
            LOG.warn("Compaction failed; it runs again in {} ms", compactEveryMillis, e);
        }
    }

    @Override
    public void close() {
        if (folder != null) {
            folder.close();
            folder = null;
        }
        if (compaction != null) {
            compaction.shutdown(); // a compaction under way finishes its transaction first
            try {
                if (!compaction.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    compaction.shutdownNow();
                }
            } catch (InterruptedException e) {
                compaction.shutdownNow();
                Thread.currentThread().interrupt();
            }
            compaction = null;
        }
        if (ignite != null) {
            String name = ignite.name();
            String id = String.valueOf(ignite.cluster().localNode().consistentId());
            Ignition.stop(name, false);
            ignite = null;
            if (settings.client()) {
                LOG.info("Hearth client {} stopped", id);
            } else {
                LOG.info("Hearth node {} stopped; its data is in {}", id, settings.dataDir().toAbsolutePath());
            }
        }
        releaseLock();
    }

    private void releaseLock() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /**
     * A fresh Ignite configuration for one start: configuration objects are single-use. Server nodes and gateway
     * clients alike get event storage's binary types here ({@link EventCodecs}): members configured otherwise
     * could not join, nor read stored events.
     */
    static IgniteConfiguration configuration(NodeSettings s) {
        IgniteConfiguration cfg = loadXml(s.configXml());
        EventCodecs.register(cfg);
        cfg.setGridLogger(new Slf4jLogger());
        cfg.setClientMode(s.client());
        String id = s.client() ? "gateway-" + UUID.randomUUID().toString().substring(0, 8) : consistentId(s);
        cfg.setIgniteInstanceName(id);
        if (!s.client()) {
            cfg.setConsistentId(id);
            Path dir = s.dataDir().toAbsolutePath();
            cfg.setWorkDirectory(dir.resolve("ignite").toString());
        } else if (s.dataDir() != null) {
            cfg.setWorkDirectory(s.dataDir().toAbsolutePath().resolve("ignite").toString());
        } else {
            // A client keeps no data, but Ignite still writes marshaller metadata: not into the caller's directory.
            try {
                Path tmp = Files.createTempDirectory("hearth-client-");
                tmp.toFile().deleteOnExit();
                cfg.setWorkDirectory(tmp.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a work directory for the client node", e);
            }
        }
        if (cfg.getDataStorageConfiguration() == null) {
            cfg.setDataStorageConfiguration(new DataStorageConfiguration());
        }
        DataStorageConfiguration ds = cfg.getDataStorageConfiguration();
        DataRegionConfiguration region = ds.getDefaultDataRegionConfiguration();
        if (s.regionMaxBytes() > 0) {
            region.setMaxSize(s.regionMaxBytes());
            region.setInitialSize(Math.min(region.getInitialSize(), s.regionMaxBytes()));
        }
        if (s.walSegmentBytes() > 0) {
            ds.setWalSegmentSize((int) s.walSegmentBytes());
            ds.setMaxWalArchiveSize(4 * s.walSegmentBytes() * ds.getWalSegments());
        }
        ds.setDataRegionConfigurations(CacheLayout.extraRegions(s.regionMaxBytes()));
        if (s.discoveryPort() > 0 || !s.peers().isEmpty()) {
            TcpDiscoverySpi disco = (TcpDiscoverySpi) cfg.getDiscoverySpi();
            if (s.discoveryPort() > 0) {
                disco.setLocalPort(s.discoveryPort());
            }
            if (!s.peers().isEmpty()) {
                TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
                finder.setAddresses(s.peers());
                disco.setIpFinder(finder);
            }
        }
        if (s.communicationPort() > 0) {
            ((TcpCommunicationSpi) cfg.getCommunicationSpi()).setLocalPort(s.communicationPort());
        }
        if (s.clientPort() > 0) {
            cfg.getClientConnectorConfiguration().setPort(s.clientPort());
        }
        applySecurity(cfg, s.security());
        return cfg;
    }

    /**
     * TLS on discovery, communication and the client connector (mutual on the first two), Ignite authentication;
     * and the refusal to listen beyond loopback without both (unless insecure): such a member would let anyone who
     * reaches its ports join the cluster or query it over SQL.
     */
    static void applySecurity(IgniteConfiguration cfg, GridSecurity sec) {
        ClientConnectorConfiguration cc = cfg.getClientConnectorConfiguration();
        List<String> exposed = new ArrayList<>();
        if (!loopback(cfg.getLocalHost())) {
            exposed.add("discovery and communication on " + describe(cfg.getLocalHost()));
        }
        if (cc != null && !loopback(cc.getHost() != null ? cc.getHost() : cfg.getLocalHost())) {
            exposed.add("the thin-client/JDBC port on " + describe(cc.getHost() != null ? cc.getHost() : cfg.getLocalHost()));
        }
        if (!exposed.isEmpty() && (sec.tls().isEmpty() || sec.login().isEmpty()) && !sec.insecure()) {
            throw new HearthException(ErrorCode.CONFIGURATION, "localHost", "exposure.unprotected", "refusing to listen "
                + "for " + String.join(" and ", exposed) + " without TLS and a login: anyone who reaches it could join "
                + "the cluster or query it. Give --cluster-secret FILE (./hearth certs makes one), or --insecure on a "
                + "network you trust");
        }
        sec.sslContextFactory().ifPresent(f -> {
            cfg.setSslContextFactory(f);
            if (cc != null) {
                cc.setSslEnabled(true).setUseIgniteSslContextFactory(true).setSslClientAuth(false);
            }
        });
        if (sec.login().isPresent()) {
            cfg.setAuthenticationEnabled(true);
        }
    }

    private static boolean loopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // every interface
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String describe(String host) {
        return host == null || host.isBlank() ? "every interface" : host;
    }

    private static IgniteConfiguration loadXml(Path xml) {
        try {
            URL url = xml != null ? xml.toUri().toURL() : HearthNode.class.getResource("/hearth-config/node.xml");
            if (url == null) {
                throw new IllegalStateException("no node configuration: give --config config/node.xml");
            }
            return Ignition.loadSpringBean(url, "hearth.node");
        } catch (IOException | org.apache.ignite.IgniteException e) {
            throw new IllegalStateException("cannot read node configuration " + xml + ": " + e.getMessage(), e);
        }
    }

    /** The node's stable identity: given, or kept in {@code dataDir/node-id} so a restart finds its data. */
    private static String consistentId(NodeSettings s) {
        if (s.consistentId() != null) {
            return s.consistentId();
        }
        Path file = s.dataDir().resolve("node-id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(s.dataDir());
            String id = "hearth-" + UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
