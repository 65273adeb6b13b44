package io.hearth.node;

import java.nio.file.Path;
import java.util.List;

/**
 * What a Hearth node process is told on top of its Spring XML base configuration. Every setting is declared
 * here once with its default; {@code 0} / null mean "keep what the XML says".
 *
 * @param configXml Spring XML base configuration; null = the config/node.xml shipped in the jar
 * @param dataDir where persistence, WAL and the node id live (created if missing)
 * @param consistentId the node's stable identity; null = read from (or first written to) {@code dataDir/node-id}
 * @param discoveryPort first local discovery port; 0 = XML
 * @param communicationPort first local communication port; 0 = XML
 * @param clientPort thin client / JDBC port; 0 = XML
 * @param peers discovery addresses to join ({@code host:port} or {@code host:from..to}); empty = XML
 * @param client join as a thick client (no data, no persistence), as a stateless gateway does
 * @param regionMaxBytes cap of the persistent data region; 0 = XML
 * @param walSegmentBytes WAL segment size; 0 = XML
 * @param baselineAutoAdjustMillis how long the topology must be stable before the baseline follows it
 * @param security TLS and login of the grid ({@link GridSecurity#NONE}: loopback only, as before)
 */
public record NodeSettings(Path configXml, Path dataDir, String consistentId, int discoveryPort, int communicationPort,
                           int clientPort, List<String> peers, boolean client, long regionMaxBytes, long walSegmentBytes,
                           long baselineAutoAdjustMillis, GridSecurity security) {

    public static final long DEFAULT_BASELINE_AUTO_ADJUST_MILLIS = 10_000;

    /** Settings without grid security: loopback only. */
    public NodeSettings(Path configXml, Path dataDir, String consistentId, int discoveryPort, int communicationPort,
                        int clientPort, List<String> peers, boolean client, long regionMaxBytes, long walSegmentBytes,
                        long baselineAutoAdjustMillis) {
        this(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers, client, regionMaxBytes,
            walSegmentBytes, baselineAutoAdjustMillis, GridSecurity.NONE);
    }

    public NodeSettings {
        peers = peers == null ? List.of() : List.copyOf(peers);
        java.util.Objects.requireNonNull(security, "security (GridSecurity.NONE for none)");
        if (!client && dataDir == null) {
            throw new IllegalArgumentException("a server node needs a data directory");
        }
        if (baselineAutoAdjustMillis < 0) {
            throw new IllegalArgumentException("baselineAutoAdjustMillis must be >= 0, got " + baselineAutoAdjustMillis);
        }
    }

    /** A server node with the XML's defaults, keeping its data under {@code dataDir}. */
    public static NodeSettings server(Path dataDir) {
        return new NodeSettings(null, dataDir, null, 0, 0, 0, List.of(), false, 0, 0, DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
    }

    public NodeSettings withConfig(Path xml) {
        return new NodeSettings(xml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers, client,
            regionMaxBytes, walSegmentBytes, baselineAutoAdjustMillis, security);
    }

    public NodeSettings withPorts(int discovery, int communication, int clientConnector) {
        return new NodeSettings(configXml, dataDir, consistentId, discovery, communication, clientConnector, peers, client,
            regionMaxBytes, walSegmentBytes, baselineAutoAdjustMillis, security);
    }

    public NodeSettings withPeers(List<String> addresses) {
        return new NodeSettings(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, addresses,
            client, regionMaxBytes, walSegmentBytes, baselineAutoAdjustMillis, security);
    }

    public NodeSettings withClientMode(boolean clientMode) {
        return new NodeSettings(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers,
            clientMode, regionMaxBytes, walSegmentBytes, baselineAutoAdjustMillis, security);
    }

    /** Small memory: for tests and several nodes on one machine. */
    public NodeSettings withLimits(long regionBytes, long walSegment) {
        return new NodeSettings(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers,
            client, regionBytes, walSegment, baselineAutoAdjustMillis, security);
    }

    public NodeSettings withBaselineAutoAdjustMillis(long millis) {
        return new NodeSettings(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers,
            client, regionMaxBytes, walSegmentBytes, millis, security);
    }

    public NodeSettings withSecurity(GridSecurity gridSecurity) {
        return new NodeSettings(configXml, dataDir, consistentId, discoveryPort, communicationPort, clientPort, peers,
            client, regionMaxBytes, walSegmentBytes, baselineAutoAdjustMillis, gridSecurity);
    }
}
