package io.hearth.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings for nodes started by tests: their own port ranges (a test that used the defaults once joined
 * another test's cluster), their own work dir, a small data region and WAL.
 */
public final class TestNodes {
    private TestNodes() {
    }

    /** A free base port with room for a small range above it. */
    public static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + (int) (Math.random() * 30_000);
            if (free(base) && free(base + 1) && free(base + 2)) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A single server node on its own ports, data under {@code dir}. */
    public static NodeSettings single(Path dir) {
        int disco = freePortBase();
        int comm = freePortBase();
        int client = freePortBase();
        return NodeSettings.server(dir)
            .withPorts(disco, comm, client)
            .withPeers(List.of("127.0.0.1:" + disco))
            .withLimits(96L * 1024 * 1024, 4L * 1024 * 1024);
    }

    /**
     * Starts an Ignite member with Hearth's configuration for {@code s} that gives up joining after {@code millis}
     * (a member the cluster refuses would otherwise wait for ever), and whose failures never halt the test JVM; the
     * caller closes it.
     */
    public static org.apache.ignite.Ignite joinWithin(NodeSettings s, long millis) {
        org.apache.ignite.configuration.IgniteConfiguration cfg = HearthNode.configuration(s);
        ((org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi) cfg.getDiscoverySpi()).setJoinTimeout(millis);
        // A refused client's discovery thread trips an assertion (tests run with -ea) while it stops; the default
        // failure handler would halt the test JVM for it.
        cfg.setFailureHandler(new org.apache.ignite.failure.NoOpFailureHandler());
        return org.apache.ignite.Ignition.start(cfg);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
