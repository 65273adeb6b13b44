package io.hearth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.cluster.ClusterState;
import org.apache.ignite.internal.IgniteEx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link HearthNode#watching()}: a client that is up once joined, whether or not the cluster is active. */
class WatchingClientIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(180) // a watcher that waited for the activation would wait for ever
    void aWatchingClientStartsOnAnInactiveClusterWhereAServingOneWaits() throws Exception {
        NodeSettings server = TestNodes.single(dir.resolve("server"));
        try (HearthNode node = new HearthNode(server).start()) {
            // Forced: a deactivation clears in-memory caches (Ignite's own among them), which it otherwise refuses.
            ((IgniteEx) node.ignite()).cluster().state(ClusterState.INACTIVE, true);
            try (HearthNode watcher = new HearthNode(client(server, "watcher")).watching().start()) {
                assertThat(watcher.ignite().cluster().state()).isEqualTo(ClusterState.INACTIVE);
                assertThat(watcher.ignite().cluster().forServers().nodes()).hasSize(1);

                // A serving client waits for the activation, and starts with it.
                HearthNode serving = new HearthNode(client(server, "serving"));
                CompletableFuture<HearthNode> started = CompletableFuture.supplyAsync(serving::start);
                try {
                    Thread.sleep(3000);
                    assertThat(started).as("a serving client on an inactive cluster").isNotDone();
                    watcher.ignite().cluster().state(ClusterState.ACTIVE);
                    assertThat(started.get(60, TimeUnit.SECONDS).ignite().cluster().state()).isEqualTo(ClusterState.ACTIVE);
                } finally {
                    started.thenAccept(HearthNode::close);
                    started.get(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void aServerCannotWatch() {
        assertThatThrownBy(() -> new HearthNode(TestNodes.single(dir)).watching())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("only a client node can watch");
    }

    private NodeSettings client(NodeSettings server, String name) {
        return new NodeSettings(null, dir.resolve(name), null, 0, TestNodes.freePortBase(), 0, server.peers(), true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
    }
}
