package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.compute.events.EventCompaction;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.store.EventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction on three node processes: {@code POST /v1/compaction} has every node compact the entities it is primary
 * for, every lookup inside the retention answers the same bytes afterwards, and still does with one node killed,
 * when the backups answer for its entities (so the drops reached the backups in the same transactions).
 */
class CompactionClusterIT {
    static final long DAY = 86_400_000L;
    static final long NOW = Timestamps.parse("2026-03-01T00:00:00Z");
    static final int ENTITIES = 30;
    static final int PER_ENTITY = 2500;
    static final String YAML = """
        project: compaction
        entities:
          - name: user
            join_keys: [user_id]
        sources:
          - name: clicks
            entity: user
            timestamp_field: ts
            retention: 20d
            schema:
              user_id: string
              ts: timestamp
              amount: double
        feature_views:
          - name: activity
            entity: user
            source: clicks
            ttl: 5d
            features:
              - {name: last_amount, column: amount}
              - {name: amount_10d, aggregation: sum, column: amount, window: 10d}
              - {name: max_10d, aggregation: max, column: amount, window: 10d}
              - {name: clicks_10d, aggregation: count, window: 10d}
        """;

    @TempDir
    Path dir;

    @Test
    void everyNodeCompactsItsPrimariesAndAnswersInsideTheRetentionStayTheSame() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            cluster.startNodes("n0", "n1", "n2");
            HearthGateway gateway = new HearthGateway(cluster.client(), HearthGateway.Settings.defaults(0),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)).start();
            try {
                String url = "http://127.0.0.1:" + gateway.port();
                assertThat(Http.put(url + "/v1/registry", "application/yaml", YAML).status()).isEqualTo(200);
                SplittableRandom r = new SplittableRandom(5);
                List<String> users = new ArrayList<>();
                long oldest = NOW - 30 * DAY - EventCompaction.CLOCK_GRACE_MILLIS; // retention 20d + horizon 10d
                long beforeCutoff = 0;
                for (int u = 0; u < ENTITIES; u++) {
                    users.add("U" + u);
                }
                // 100 days of events per user, sent in five requests so that the blocks form through merges.
                for (int part = 0; part < 5; part++) {
                    StringBuilder body = new StringBuilder();
                    for (String u : users) {
                        for (int i = part; i < PER_ENTITY; i += 5) {
                            long ts = NOW - 100 * DAY + i * (100 * DAY / PER_ENTITY) + r.nextLong(1000);
                            beforeCutoff += ts < oldest ? 1 : 0;
                            body.append("{\"user_id\":\"").append(u).append("\",\"ts\":").append(ts)
                                .append(",\"amount\":").append(r.nextInt(100_000) / 100.0).append("}\n");
                        }
                    }
                    Http.Response in = Http.post(url + "/v1/ingest/clicks", "application/x-ndjson", body.toString());
                    assertThat(in.status()).as(in.body()).isEqualTo(200);
                }
                List<String> asOfs = List.of("2026-02-09T00:00:00Z", "2026-02-20T06:30:00Z", "2026-03-01T00:00:00Z");
                List<String> before = lookups(url, users, asOfs);

                JsonNode c = json.readTree(Http.post(url + "/v1/compaction", "application/json", "").body());
                // retention 20d + horizon 10d (+1h of clock grace): events before about NOW - 30d may go.
                assertThat(c.get("entities").asLong()).as(c.toString()).isEqualTo(ENTITIES);
                long dropped = c.get("events_dropped").asLong();
                // Whole blocks go, none reaching into the retention: per entity at most one block that straddles the
                // cutoff (a block holds up to 1.25 target sizes) keeps events that could have gone.
                assertThat(dropped).as(c.toString()).isLessThanOrEqualTo(beforeCutoff)
                    .isGreaterThanOrEqualTo(beforeCutoff - ENTITIES * (EventStore.TARGET_BLOCK_SIZE * 5L / 4));
                EventStore events = new EventStore(cluster.client());
                long left = 0;
                for (String u : users) {
                    left += events.count("clicks", u);
                }
                assertThat(left).isEqualTo((long) ENTITIES * PER_ENTITY - dropped);
                assertThat(lookups(url, users, asOfs)).as("answers inside the retention").isEqualTo(before);

                cluster.kill("n1");
                cluster.awaitServers(2);
                assertThat(lookups(url, users, asOfs)).as("answered from the backups of n1's entities").isEqualTo(before);
                long leftAfterKill = 0;
                for (String u : users) {
                    leftAfterKill += events.count("clicks", u);
                }
                assertThat(leftAfterKill).as("the backups had dropped the same blocks").isEqualTo(left);
            } finally {
                gateway.close();
            }
        }
    }

    private static List<String> lookups(String url, List<String> users, List<String> asOfs) {
        List<String> out = new ArrayList<>();
        for (String t : asOfs) {
            String body = "{\"features\":[\"activity:last_amount\",\"activity:amount_10d\",\"activity:max_10d\","
                + "\"activity:clicks_10d\"],\"entities\":{\"user_id\":[\"" + String.join("\",\"", users) + "\"]},"
                + "\"as_of\":\"" + t + "\"}";
            Http.Response r = Http.post(url + "/v1/features/online", "application/json", body);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            out.add(r.body());
        }
        return out;
    }
}
