package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.gateway.HearthGateway;
import io.hearth.node.CacheLayout;
import io.hearth.node.store.EventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growing a cluster under load: one node takes HTTP ingest and lookups, two more are started, and once the baseline
 * has followed and rebalancing is done every node is primary for a fair share of the events, no request failed, and
 * every acknowledged event is stored once.
 *
 * <p>{@code -Dhearth.scaleout.events=N} first loads N events (in 2,000-event requests) and prints how long the
 * rebalance took (for bench/results/cluster.md; not for CI).
 */
class ScaleOutIT {
    @TempDir
    Path dir;

    @Test
    void twoNodesAddedUnderLoadTakeAShareOfTheDataWithoutAFailedRequest() throws Exception {
        long preload = Long.getLong("hearth.scaleout.events", 0);
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            cluster.startNodes("n0");
            HearthGateway gateway = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0), Clock.systemUTC())
                .start();
            try {
                String url = "http://127.0.0.1:" + gateway.port();
                Http.Response applied = Http.put(url + "/v1/registry", "application/yaml", IngestLoad.DEFINITIONS);
                assertThat(applied.status()).as(applied.body()).isEqualTo(200);
                IngestLoad bulk = null;
                long loadMillis = 0;
                if (preload > 0) {
                    long t0 = System.nanoTime();
                    bulk = new IngestLoad(() -> url, 9, 2, 2000, (int) (preload / 4000), Duration.ofMinutes(30));
                    bulk.start(false).awaitDone();
                    loadMillis = (System.nanoTime() - t0) / 1_000_000;
                }

                IngestLoad load = new IngestLoad(() -> url, 1, 2, 100, 1_000_000, Duration.ofMinutes(5)).start(true);
                long rebalanceMillis;
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.ackedRequests() >= 20);
                    long t0 = System.nanoTime();
                    cluster.startNode("n1");
                    cluster.startNode("n2");
                    cluster.awaitServers(3);
                    cluster.awaitRebalanced();
                    rebalanceMillis = (System.nanoTime() - t0) / 1_000_000;
                    long acked = load.ackedRequests();
                    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.ackedRequests() >= acked + 20);
                } finally {
                    load.stop();
                }

                EventStore events = new EventStore(cluster.client());
                IngestLoad.Check check = load.verify(events);
                Map<Object, Integer> primaries = cluster.primaryEntries(CacheLayout.eventsCache(IngestLoad.SOURCE));
                String report = "ScaleOutIT: 1 -> 3 nodes, rebalanced in " + rebalanceMillis + " ms"
                    + (bulk == null ? "" : " holding " + bulk.ackedEvents() + " preloaded events (loaded in " + loadMillis
                    + " ms)") + "; primary entries per node " + primaries + "; " + check + "; " + load.summary();
                System.out.println(report);
                NodeFailureIT.figure("scaleout_events", check.stored() + (bulk == null ? 0 : bulk.ackedEvents()));
                NodeFailureIT.figure("scaleout_rebalance_ms", rebalanceMillis);
                NodeFailureIT.figure("scaleout_longest_write_gap_ms", IngestLoad.longestGapMillis(load.writeLog));
                assertThat(check.exact()).as(report).isTrue();
                assertThat(load.writeFailures.get()).as(report).isZero();
                assertThat(load.lookupFailures.get()).as(report).isZero();
                assertThat(primaries).as(report).hasSize(3);
                int total = primaries.values().stream().mapToInt(Integer::intValue).sum();
                assertThat(primaries.values()).as(report).allSatisfy(n -> assertThat(n).isGreaterThan(total / 10));
                if (bulk != null) {
                    IngestLoad.Check bulkCheck = bulk.verify(events);
                    assertThat(bulkCheck.exact()).as(bulkCheck.toString()).isTrue();
                }
            } finally {
                gateway.close();
            }
        }
    }
}
