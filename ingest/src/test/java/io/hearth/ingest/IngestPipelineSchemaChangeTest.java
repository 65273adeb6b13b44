package io.hearth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A batch opened before an apply that added a column: what it does with records that carry the new column, whether it
 * follows schema changes (an HTTP stream) or not (a Kafka poll).
 */
class IngestPipelineSchemaChangeTest {
    private static final String V1 = """
        entities:
          - {name: user, join_keys: [user_id]}
        sources:
          - name: clicks
            entity: user
            timestamp_field: ts
            schema: {user_id: string, ts: timestamp, n: int}
        """;
    private static final String V2 = V1.replace("n: int}", "n: long, page: string}");

    private final AtomicReference<Definitions> defs = new AtomicReference<>(DefinitionsParser.parse("v1", V1));
    private final List<Map<String, EventBlock>> written = new ArrayList<>();
    private final List<QuarantinedRecord> quarantined = new ArrayList<>();
    private final IngestPipeline pipeline = new IngestPipeline(defs::get, (s, byEntity, places) -> written.add(byEntity),
        quarantined::addAll, new IngestPipeline.Ledger() {
            @Override
            public long[] acceptedUnder(String source, String key) {
                return new long[0];
            }

            @Override
            public void addAccepted(String source, String key, long[] ranges) {
            }
        }, new ManualClock(0), new SimpleMeterRegistry());

    private static Map<String, Object> row(long ts, Object n, String page) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", "u1");
        m.put("ts", ts);
        m.put("n", n);
        if (page != null) {
            m.put("page", page);
        }
        return m;
    }

    private static void add(IngestPipeline.Batch b, Map<String, Object> row) {
        b.add(row, row::toString);
    }

    @Test
    void aFollowingBatchAcceptsTheNewColumnOnceTheApplyIsInForceAndKeepsArrivalOrder() {
        IngestPipeline.Batch batch = pipeline.open("clicks", "test").followSchemaChanges();
        add(batch, row(1, 1, null));
        defs.set(DefinitionsParser.parse("v2", V2)); // the apply answers here
        add(batch, row(2, 2, "home"));
        add(batch, row(2, 3, null)); // same time, sent after: must stay after the held record
        add(batch, row(3, 4, "cart"));
        assertThat(batch.pendingCount()).isEqualTo(4);
        batch.flush();

        assertThat(quarantined).as("no record quarantined as schema.unknown_field").isEmpty();
        assertThat(batch.accepted()).isEqualTo(4);
        EventBlock b = written.get(0).values().iterator().next();
        assertThat(b.columnNames()).containsExactly("n", "page");
        assertThat(b.typeOf("n")).as("laid out in the type the schema now declares").isEqualTo(ColumnType.LONG);
        List<Object> pages = new ArrayList<>();
        List<Object> ns = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            pages.add(b.row(i).get("page"));
            ns.add(b.row(i).get("n"));
        }
        assertThat(ns).as("arrival order").containsExactly(1L, 2L, 3L, 4L);
        assertThat(pages).as("the record checked before the apply reads null for the new column")
            .containsExactly(null, "home", null, "cart");
        assertThat(batch.source().schema()).containsKey("page");

        add(batch, row(5, 5, "pay")); // later records go straight to the new definition
        batch.flush();
        assertThat(quarantined).isEmpty();
        assertThat(batch.accepted()).isEqualTo(5);
    }

    @Test
    void aFieldNoDefinitionKnowsIsQuarantinedAtTheWriteWithItsIndex() {
        IngestPipeline.Batch batch = pipeline.open("clicks", "test").followSchemaChanges();
        add(batch, row(1, 1, null));
        Map<String, Object> odd = row(2, 2, null);
        odd.put("colour", "red");
        add(batch, odd);
        add(batch, row(3, 3, null));
        batch.flush();
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.rule()).isEqualTo("schema.unknown_field");
            assertThat(q.field()).isEqualTo("colour");
        });
        assertThat(batch.listedRejections()).singleElement().extracting(IngestPipeline.Rejection::index).isEqualTo(1L);
        assertThat(batch.accepted()).isEqualTo(2);
    }

    @Test
    void aBatchThatDoesNotFollowChecksAgainstTheDefinitionItOpenedWith() {
        IngestPipeline.Batch batch = pipeline.open("clicks", "test");
        defs.set(DefinitionsParser.parse("v2", V2));
        add(batch, row(2, 2, "home"));
        batch.flush();
        assertThat(quarantined).singleElement().extracting(q -> q.rule()).isEqualTo("schema.unknown_field");
    }
}
