package io.hearth.node.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.events.LogKey;
import io.hearth.compute.events.LogMaintenance;
import io.hearth.compute.events.LogPartitions;
import io.hearth.compute.events.RunChunk;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.node.CacheLayout;
import io.hearth.node.HearthNode;
import io.hearth.node.TestNodes;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.RegistryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.IgniteCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's log maintenance on a real node: writers are held back when a partition's log grows past its limit,
 * chunks nobody names are deleted (and named ones never), and a fold of everything leaves every event readable from
 * the entities' blocks alone.
 */
class LogFolderIT {
    @TempDir
    Path dir;

    @Test
    void writersWaitForMergesAndOrphansGoAndEverythingFolds() throws Exception {
        Definitions defs = DefinitionsParser.parse("definitions.yaml", Files.readString(Path.of("../config/demo/definitions.yaml")));
        RowValidator v = new RowValidator(defs.source("orders").orElseThrow(), defs.entity("customer").orElseThrow());
        // A folder that never merges on its own: only writers over the limit do.
        LogMaintenance.Settings lazy = LogMaintenance.Settings.defaults(EventStore.TARGET_BLOCK_SIZE, EventStore.TAIL_SIZE)
            .withMerge(1_000_000, Long.MAX_VALUE / 4, 8, 16).withFold(1_000_000, Integer.MAX_VALUE, Long.MAX_VALUE / 4);
        try (HearthNode node = new HearthNode(TestNodes.single(dir)).foldSettings(lazy).start()) {
            new RegistryStore(node.ignite(), Clock.systemUTC()).apply(defs);
            EventStore store = new EventStore(node.ignite());
            int batches = 3 * LogFolder.HOLD_FRESH;
            for (int b = 0; b < batches; b++) { // one entity: every batch a delta of its one partition
                EventBlock.Builder block = v.newBlock();
                Map<String, Object> row = new HashMap<>();
                row.put("customer_id", "C1");
                row.put("order_id", "o" + b);
                row.put("amount", b);
                row.put("event_ts", 1_000_000L + b);
                RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                block.add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
                store.write("orders", Map.of("C1", block.build()));
            }
            LogFolder folder = LogFolder.of(node.ignite());
            assertThat(folder.counts()[1]).as("publishes that waited for a merge").isGreaterThan(0);
            IgniteCache<LogKey, Object> log = node.ignite().cache(CacheLayout.logCache("orders"));
            LogPartitions lp = LogPartitions.of(node.ignite(), CacheLayout.logCache("orders"));
            int anchor = lp.anchor(lp.partitionOf("C1"));
            // An entity maps to the partition of its keys (EventStore#primaryHere asks by the entity alone).
            org.apache.ignite.cache.affinity.Affinity<Object> affinity = node.ignite().affinity(CacheLayout.eventsCache("orders"));
            for (int i = 0; i < 2_000; i++) {
                String entity = "C" + i;
                assertThat(affinity.partition(entity)).as(entity)
                    .isEqualTo(affinity.partition(io.hearth.compute.events.EventKey.index(entity)))
                    .isEqualTo(lp.partitionOf(entity));
            }
            LogMaintenance.Backlog backlog = LogMaintenance.backlog(log, anchor);
            assertThat(backlog.fresh()).as("fresh deltas stay bounded").isLessThanOrEqualTo(LogFolder.HOLD_FRESH);
            assertThat(backlog.events()).isEqualTo(batches);
            assertThat(count(store, "C1")).isEqualTo(batches);

            // A chunk put and never published (its writer died in between): gone after two scans, nothing else is.
            LogKey orphan = new LogKey(anchor, 4242, 0);
            EventBlock.Builder stray = v.newBlock();
            RowCheck.Accepted a = (RowCheck.Accepted) v.check(Map.of("customer_id", "C1", "order_id", "stray", "amount", 1,
                "event_ts", 5L));
            stray.add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
            log.put(orphan, RunChunk.of(Map.of("C1", stray.build()), null));
            assertThat(folder.collectOrphans()).as("first scan only suspects").isZero();
            assertThat(folder.collectOrphans()).as("second scan deletes").isEqualTo(1);
            assertThat(log.containsKey(orphan)).isFalse();
            assertThat(count(store, "C1")).as("named chunks stay").isEqualTo(batches);

            LogFolder.foldEverywhere(node.ignite());
            assertThat(LogMaintenance.backlog(log, anchor).isEmpty()).isTrue();
            Map<String, EventReads.EntityEvents> folded = EventReads.read(
                node.ignite().<io.hearth.compute.events.EventKey, Object>cache(CacheLayout.eventsCache("orders")), "orders",
                List.of("C1"), Long.MIN_VALUE + 1, Long.MAX_VALUE);
            assertThat(folded.get("C1").events().size()).as("the blocks alone hold every event").isEqualTo(batches);
            List<Long> amounts = new ArrayList<>();
            EventBlock e = folded.get("C1").events();
            for (int i = 0; i < e.size(); i++) {
                amounts.add(((Number) e.row(i).get("amount")).longValue());
            }
            assertThat(amounts).isSorted().hasSize(batches);
        }
    }

    private static long count(EventStore store, String entity) {
        return store.count("orders", entity);
    }
}
