package io.hearth.bench.pitjoin;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.training.Spine;
import io.hearth.node.store.EventStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;

/**
 * The data set in Hearth: the bench's definitions (source ev, view v with plain and windowed features), its events
 * written with {@link EventStore#write} and its spine as {@link Spine#fromText} parses it.
 */
final class HearthLoader {
    static final int LOAD_BATCH = 2000; // entities per EventStore.write

    static final String YAML = """
        project: bench
        entities:
          - name: e
            join_keys: [entity_id]
        sources:
          - name: ev
            entity: e
            timestamp_field: ts
            schema:
              entity_id: string
              ts: timestamp
              a: double
              b: double
              c: double
        feature_views:
          - name: v
            entity: e
            source: ev
            features:
              - name: a
                column: a
              - name: b
                column: b
              - name: c
                column: c
              - name: cnt_7d
                aggregation: count
                window: 7d
              - name: cnt_30d
                aggregation: count
                window: 30d
              - name: avg_a_7d
                aggregation: avg
                column: a
                window: 7d
              - name: avg_a_30d
                aggregation: avg
                column: a
                window: 30d
        """;

    static final List<String> PLAIN = List.of("v:a", "v:b", "v:c");
    static final List<String> WINDOWS = List.of("v:cnt_7d", "v:cnt_30d", "v:avg_a_7d", "v:avg_a_30d");

    private HearthLoader() {
    }

    static Definitions definitions() {
        return DefinitionsParser.parse("bench.yaml", YAML);
    }

    /** Every event, {@link #LOAD_BATCH} entities per call, one block per entity built from boxed rows. */
    static void load(Ignite ignite, DataSet data, Source source, Entity entity) {
        RowValidator v = new RowValidator(source, entity);
        List<String> cols = v.columns();
        double[][] byCol = new double[cols.size()][];
        for (int k = 0; k < cols.size(); k++) {
            byCol[k] = switch (cols.get(k)) {
                case "a" -> data.a;
                case "b" -> data.b;
                case "c" -> data.c;
                default -> throw new IllegalStateException("unexpected stored column " + cols.get(k));
            };
        }
        EventStore store = new EventStore(ignite);
        for (int from = 0; from < data.entities; from += LOAD_BATCH) {
            int to = Math.min(data.entities, from + LOAD_BATCH);
            Map<String, EventBlock> batch = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                EventBlock.Builder bl = v.newBlock();
                for (int k = data.offset[i]; k < data.offset[i + 1]; k++) {
                    Object[] row = new Object[byCol.length];
                    for (int col = 0; col < row.length; col++) {
                        row[col] = byCol[col][k];
                    }
                    bl.add(data.ts[k], EventBlock.NO_CREATED, 0L, row);
                }
                batch.put(data.names[i], bl.build());
            }
            store.write("ev", batch);
        }
        // Joins are measured on folded storage, the steady state (a join over unfolded events also reads the log).
        io.hearth.node.fold.LogFolder.foldEverywhere(ignite);
    }

    /** The spine as text rows (entity_id, ts in epoch millis), the way a spine file reaches Hearth. */
    static Spine spine(DataSet data, Entity entity, Source source) {
        Iterator<String[]> rows = new Iterator<>() {
            int r;

            public boolean hasNext() {
                return r < data.spineRows;
            }

            public String[] next() {
                String[] row = {data.names[data.spEntity[r]], Long.toString(data.spTs[r])};
                r++;
                return row;
            }
        };
        return Spine.fromText(List.of("entity_id", "ts"), rows, entity, source, "ts");
    }
}
