package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.gateway.HearthGateway;
import io.hearth.node.store.EventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.ignite.cluster.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full restart in which one of three nodes comes back without its data directory (a lost disk, or the recovery of
 * decision 0008 for a node Ignite refuses to restart): the two others come up and wait for it, it joins under a new
 * id, the cluster is activated and its baseline set to the nodes present, as an operator would ({@link
 * ProcessCluster#startAfresh}), and every acknowledged event is there, once, from the copies on the other two.
 */
class LostDiskIT {
    @TempDir
    Path dir;

    @Test
    void aFullRestartWithOneNodeWithoutItsDataLosesNothing() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            cluster.startNodes("n0", "n1", "n2");
            IngestLoad load;
            IngestLoad.Check before;
            try (HearthGateway gateway = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0),
                Clock.systemUTC()).start()) {
                String url = "http://127.0.0.1:" + gateway.port();
                Http.Response applied = Http.put(url + "/v1/registry", "application/yaml", IngestLoad.DEFINITIONS);
                assertThat(applied.status()).as(applied.body()).isEqualTo(200);
                load = new IngestLoad(() -> url, 2, 2, 200, 25, Duration.ofMinutes(3));
                load.start(false).awaitDone();
                assertThat(load.unacknowledged).isEmpty();
                before = load.verify(new EventStore(cluster.client()));
                assertThat(before.exact()).as(before.toString()).isTrue();
            }
            cluster.closeClient();
            for (String n : new String[] {"n0", "n1", "n2"}) {
                cluster.kill(n);
            }

            cluster.restart("n0");
            cluster.restart("n1");
            cluster.awaitServers(2);
            // Started while no other node is up, a node without data would found a cluster of its own.
            assertThat(cluster.client().cluster().state()).as("waiting for n2's old id").isEqualTo(ClusterState.INACTIVE);
            cluster.startAfresh("n2");
            cluster.awaitServers(3);
            assertThat(cluster.client().cluster().state()).isEqualTo(ClusterState.ACTIVE);
            cluster.awaitRebalanced();

            IngestLoad.Check after = load.verify(new EventStore(cluster.client()));
            assertThat(after.exact()).as(after.toString()).isTrue();
            assertThat(after.stored()).isEqualTo(before.stored()).isEqualTo(10_000);
        }
    }
}
