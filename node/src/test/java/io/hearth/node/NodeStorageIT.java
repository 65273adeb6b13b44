package io.hearth.node;

import io.hearth.node.store.EventStore;
import io.hearth.node.store.RegistryStore;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStorageIT {
    @TempDir
    Path dir;

    @Test
    void eventsAndDefinitionsSurviveARestartOfTheNode() throws Exception {
        Definitions defs = DefinitionsParser.parse("definitions.yaml",
            Files.readString(Path.of("../config/demo/definitions.yaml")));
        NodeSettings settings = TestNodes.single(dir);
        Source orders = defs.source("orders").orElseThrow();
        RowValidator v = new RowValidator(orders, defs.entity("customer").orElseThrow());
        try (HearthNode node = new HearthNode(settings).start()) {
            RegistryStore reg = new RegistryStore(node.ignite(), Clock.systemUTC());
            assertThat(reg.apply(defs).changed()).isTrue();
            assertThat(reg.apply(defs).changed()).isFalse();
            EventBlock.Builder b = v.newBlock();
            for (int i = 0; i < 3000; i++) {
                Map<String, Object> row = new HashMap<>();
                row.put("customer_id", "c1");
                row.put("order_id", "o" + (i % 2500)); // 500 replays
                row.put("amount", (double) i);
                row.put("channel", "web");
                row.put("event_ts", 1_000_000L + (i * 7919L) % 3000 * 1000);
                RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                b.add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
            }
            new EventStore(node.ignite()).write("orders", Map.of("c1", b.build()));
            assertThat(new EventStore(node.ignite()).count("orders", "c1")).isEqualTo(2500);
        }
        try (HearthNode node = new HearthNode(settings).start()) {
            RegistryStore reg = new RegistryStore(node.ignite(), Clock.systemUTC());
            assertThat(reg.current()).isPresent();
            assertThat(reg.current().get().version()).isEqualTo(1);
            EventStore store = new EventStore(node.ignite());
            assertThat(store.count("orders", "c1")).isEqualTo(2500);
            var read = store.read("orders", List.of("c1", "nobody"), Long.MIN_VALUE + 1, Long.MAX_VALUE).get("c1");
            assertThat(read.events().size()).isEqualTo(2500);
            long[] ts = read.events().timestamps();
            for (int i = 1; i < read.events().size(); i++) {
                assertThat(ts[i]).isGreaterThanOrEqualTo(ts[i - 1]);
            }
        }
    }
}
