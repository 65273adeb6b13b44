package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.CacheLayout;
import io.hearth.node.store.EventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.ignite.cluster.ClusterState;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes and a gateway (in the test JVM, a thick client): a node is killed with -9 while events are
 * ingested over HTTP and looked up, and later every node at once. Nothing acknowledged may be lost or counted twice,
 * lookups go on while a node is down, and after a full restart every event, definition, lookup answer and training
 * extract is what it was. The two tests share one cluster (starting three JVMs is most of their cost); each brings
 * the cluster to the state it needs first.
 *
 * <p>{@code -Dhearth.failover.rounds=N} runs N kill rounds instead of one and prints failover figures per round
 * (for bench/results/cluster.md; not for CI).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFailureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NODES = {"n0", "n1", "n2"};

    @TempDir
    static Path dir;
    private ProcessCluster cluster;
    private HearthGateway gateway;
    private final List<IngestLoad> loads = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        cluster = new ProcessCluster(dir);
        cluster.startNodes(NODES);
        startGateway();
        Http.Response applied = Http.put(url() + "/v1/registry", "application/yaml", IngestLoad.DEFINITIONS);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
    }

    @AfterAll
    void stopCluster() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startGateway() {
        gateway = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0), Clock.systemUTC()).start();
    }

    private String url() {
        return "http://127.0.0.1:" + gateway.port();
    }

    @Test
    @Order(1)
    void killingANodeUnderIngestLosesNoAcknowledgedEventAndLookupsGoOn() throws Exception {
        int rounds = Integer.getInteger("hearth.failover.rounds", 1);
        IngestLoad load = new IngestLoad(this::url, 1, 2, 100, 1_000_000, Duration.ofMinutes(3L * rounds + 2));
        loads.add(load);
        load.start(true);
        List<String> figures = new ArrayList<>();
        List<Long> failoverMillis = new ArrayList<>();
        long failedWhileDown = 0;
        long attemptsWhileDown = 0;
        try {
            await("first writes acknowledged", () -> load.ackedRequests() >= 20);
            for (int round = 0; round < rounds; round++) {
                String victim = NODES[round % NODES.length];
                long acked = load.ackedRequests();
                long lookupsBefore = load.lookups.get() - load.lookupFailures.get();
                long kill = System.nanoTime();
                cluster.kill(victim);
                await("writes acknowledged after the kill", () -> load.ackedRequests() >= acked + 30);
                cluster.awaitServers(NODES.length - 1);
                await("lookups answered with a node down", () -> load.lookups.get() - load.lookupFailures.get()
                    > lookupsBefore + 10);
                JsonNode answers = lookupAll(System.currentTimeMillis());
                assertThat(answers.toString()).as("every entity has events, also with a node down").doesNotContain("NOT_FOUND");
                long down = System.nanoTime();
                long[] failed = load.failuresBetween(kill, down);
                failoverMillis.add(load.failoverMillis(kill));
                failedWhileDown += failed[0];
                attemptsWhileDown += failed[1];
                figures.add(String.format("round %d: killed %s, first write after the kill acknowledged in %d ms, %d of %d "
                    + "write attempts failed while it was down", round + 1, victim, load.failoverMillis(kill), failed[0],
                    failed[1]));
                cluster.restart(victim);
                cluster.awaitServers(NODES.length);
                cluster.awaitRebalanced();
                long again = load.ackedRequests();
                await("writes acknowledged after the node came back", () -> load.ackedRequests() >= again + 10);
            }
        } finally {
            load.stop();
        }
        IngestLoad.Check check = load.verify(new EventStore(cluster.client()));
        long resumedFolds = cluster.linesInLogs("that a stop had cut short");
        figures.add("folds a kill cut short, finished after the restart: " + resumedFolds);
        String report = "NodeFailureIT: " + check + "; " + load.summary() + "\n  " + String.join("\n  ", figures);
        System.out.println(report);
        figure("kill_rounds", rounds);
        figure("failover_first_write_ms", failoverMillis);
        figure("failover_write_error_rate", (double) failedWhileDown / Math.max(1, attemptsWhileDown));
        figure("failover_longest_write_gap_ms", IngestLoad.longestGapMillis(load.writeLog));
        figure("failover_longest_lookup_gap_ms", IngestLoad.longestGapMillis(load.lookupLog));
        figure("failover_lookup_error_rate", (double) load.lookupFailures.get() / Math.max(1, load.lookups.get()));
        figure("failover_acked_events", check.acked());
        figure("failover_acked_lost", check.missing());
        figure("failover_double_counted", check.duplicated());
        figure("failover_folds_resumed", resumedFolds);
        assertThat(load.unacknowledged).as("requests never acknowledged in 2 minutes of retries; %s", report).isEmpty();
        assertThat(check.exact()).as(report).isTrue();
        assertThat(check.acked()).isGreaterThan(0);
    }

    @Test
    @Order(2)
    void aFullRestartBringsBackEveryEventDefinitionLookupAndExtract() throws Exception {
        for (String n : NODES) {
            if (!cluster.node(n).alive()) {
                cluster.restart(n);
            }
        }
        cluster.awaitServers(NODES.length);
        cluster.awaitRebalanced();
        long preload = Long.getLong("hearth.restart.events", 0);
        if (preload > 0) {
            IngestLoad bulk = new IngestLoad(this::url, 3, 2, 2000, (int) (preload / 4000), Duration.ofMinutes(30));
            loads.add(bulk);
            bulk.start(false).awaitDone();
            assertThat(bulk.unacknowledged).isEmpty();
        }
        IngestLoad load = new IngestLoad(this::url, 2, 2, 200, 25, Duration.ofMinutes(3));
        loads.add(load);
        load.start(false).awaitDone();
        assertThat(load.ackedRequests()).isEqualTo(50);
        assertThat(load.unacknowledged).isEmpty();

        long asOf = System.currentTimeMillis();
        String registry = Http.get(url() + "/v1/registry").body();
        JsonNode lookups = lookupAll(asOf);
        String extract = extract(asOf);
        List<IngestLoad.Check> before = new ArrayList<>();
        for (IngestLoad l : loads) {
            before.add(l.verify(new EventStore(cluster.client())));
        }

        // Every node dies at once, as in a power cut of the rack (the gateway goes with them), then all come back.
        gateway.close();
        gateway = null;
        cluster.closeClient();
        for (String n : NODES) {
            cluster.node(n).process.destroyForcibly();
        }
        for (String n : NODES) {
            cluster.kill(n); // waits for the exit
        }
        long t0 = System.nanoTime();
        for (String n : NODES) {
            cluster.restart(n);
        }
        cluster.awaitServers(NODES.length);
        await("cluster active", () -> cluster.client().cluster().state() == ClusterState.ACTIVE);
        long restartMillis = (System.nanoTime() - t0) / 1_000_000;
        startGateway();

        assertThat(Http.get(url() + "/v1/registry").body()).isEqualTo(registry);
        for (int i = 0; i < loads.size(); i++) {
            IngestLoad.Check after = loads.get(i).verify(new EventStore(cluster.client()));
            assertThat(after.exact()).as("load %d after the restart: %s", i, after).isTrue();
            assertThat(after.stored()).as("load %d", i).isEqualTo(before.get(i).stored());
        }
        assertThat(lookupAll(asOf)).isEqualTo(lookups);
        assertThat(extract(asOf)).isEqualTo(extract);
        long events = before.stream().mapToLong(IngestLoad.Check::stored).sum();
        System.out.println("NodeFailureIT: 3 nodes restarted after kill -9 of all, active in " + restartMillis + " ms, holding "
            + events + " events; " + before);
        figure("restart_events", events);
        figure("restart_ms", restartMillis);
    }

    @Test
    @Order(3)
    void losingTwoNodesAtOnceRefusesTheirPartitionsInsteadOfAnsweringWrongly() throws Exception {
        for (String n : NODES) {
            if (!cluster.node(n).alive()) {
                cluster.restart(n);
            }
        }
        cluster.awaitServers(NODES.length);
        cluster.awaitRebalanced();
        if (gateway == null) {
            startGateway();
        }
        IngestLoad load = new IngestLoad(this::url, 4, 1, 200, 3, Duration.ofMinutes(2));
        load.start(false).awaitDone();
        long asOf = System.currentTimeMillis();
        Map<String, String> before = new HashMap<>();
        for (String e : IngestLoad.entities()) {
            Http.Response r = lookupOne(e, asOf);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            before.put(e, JSON.readTree(r.body()).get("results").toString());
        }

        // Both copies of about a third of the partitions go at once (backups=1).
        cluster.node("n1").process.destroyForcibly();
        cluster.node("n2").process.destroyForcibly();
        cluster.kill("n1");
        cluster.kill("n2");
        cluster.awaitServers(1);
        int refused = 0;
        int answered = 0;
        List<String> wrong = new ArrayList<>();
        String refusedEntity = null;
        for (String e : IngestLoad.entities()) {
            Http.Response r = lookupOne(e, asOf);
            if (r.status() == 200) {
                answered++;
                if (!JSON.readTree(r.body()).get("results").toString().equals(before.get(e))) {
                    wrong.add(e + ": " + r.body());
                }
            } else {
                refused++;
                refusedEntity = e;
            }
        }
        String report = "NodeFailureIT: 2 of 3 nodes killed at once: " + refused + " entities refused, " + answered
            + " answered";
        System.out.println(report);
        assertThat(wrong).as("answers with both copies of some partitions gone must be right or refused").isEmpty();
        assertThat(refused).as(report).isPositive();
        Http.Response write = Http.post(url() + "/v1/ingest/" + IngestLoad.SOURCE + "?idempotency_key=lost-1",
            "application/x-ndjson", "{\"thing_id\":\"" + refusedEntity + "\",\"seq\":-1,\"ts\":" + asOf + "}\n");
        assertThat(write.status()).as("a write into a lost partition: %s", write.body()).isNotEqualTo(200);

        // The two nodes come back with their data. Ignite keeps refusing the lost partitions until an operator says
        // the data is back (hearth reset-lost); then every answer is what it was.
        cluster.restart("n1");
        cluster.restart("n2");
        cluster.awaitServers(NODES.length);
        assertThat(lookupOne(refusedEntity, asOf).status()).as("still refused before the reset").isNotEqualTo(200);
        String reset = cluster.runCli("reset-lost");
        assertThat(reset).contains("reset: " + CacheLayout.eventsCache(IngestLoad.SOURCE));
        List<String> after = new ArrayList<>();
        try {
            Awaitility.await("every lookup answers as before").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1)).until(() -> {
                    after.clear();
                    for (String e : IngestLoad.entities()) {
                        Http.Response r = lookupOne(e, asOf);
                        if (r.status() != 200 || !JSON.readTree(r.body()).get("results").toString().equals(before.get(e))) {
                            after.add(e + ": " + r.status() + " " + r.body());
                        }
                    }
                    return after.isEmpty();
                });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(after.size() + " entities still answer differently after the nodes returned, e.g. "
                + after.subList(0, Math.min(3, after.size())), e);
        }
    }

    private Http.Response lookupOne(String entity, long asOf) {
        return Http.post(url() + "/v1/features/online", "application/json", "{\"features\":[\"things:last_seq\","
            + "\"things:events_total\",\"things:seq_sum\"],\"entities\":{\"thing_id\":[\"" + entity + "\"]},\"as_of\":"
            + asOf + "}");
    }

    /** Every entity's features as of a fixed time: the results part of the answer (no timings). */
    private JsonNode lookupAll(long asOf) throws Exception {
        String ids = String.join("\",\"", IngestLoad.entities());
        Http.Response r = Http.post(url() + "/v1/features/online", "application/json", "{\"features\":[\"things:last_seq\","
            + "\"things:events_total\",\"things:seq_sum\"],\"entities\":{\"thing_id\":[\"" + ids + "\"]},\"as_of\":" + asOf + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.toString()).contains("PRESENT");
        return body.get("results");
    }

    /** A training extract over every entity at three times, as CSV. */
    private String extract(long asOf) throws Exception {
        StringBuilder spine = new StringBuilder("thing_id,event_ts\n");
        for (String e : IngestLoad.entities()) {
            for (long back : new long[] {0, 1_800_000, 5_400_000}) {
                spine.append(e).append(',').append(asOf - back).append('\n');
            }
        }
        Http.Response created = Http.post(url() + "/v1/training-sets?name=restart&file=csv&features=things:last_seq,"
            + "things:events_total,things:seq_sum", "text/csv", spine.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = JSON.readTree(created.body()).get("id").asText();
        await("extract done", () -> !JSON.readTree(Http.get(url() + "/v1/training-sets/" + id).body()).get("status").asText()
            .matches("QUEUED|RUNNING"));
        Http.Response data = Http.get(url() + "/v1/training-sets/" + id + "/data?format=csv");
        assertThat(data.status()).as(data.body()).isEqualTo(200);
        assertThat(data.body().lines().count()).isEqualTo(1 + 3L * IngestLoad.ENTITIES);
        return data.body();
    }

    /** A figure for bench/run cluster: one line {@code FIGURE key json}. */
    static void figure(String key, Object value) {
        try {
            System.out.println("FIGURE " + key + " " + JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(condition);
    }
}
