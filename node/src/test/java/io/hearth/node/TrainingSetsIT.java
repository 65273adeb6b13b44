package io.hearth.node;

import io.hearth.node.store.EventStore;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.SpineException;
import io.hearth.compute.training.ValueColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training set built by the colocated task is a SQL table readable over the JDBC thin driver, in spine order. */
class TrainingSetsIT {
    @TempDir
    Path dir;

    @Test
    void aTrainingSetIsATableOfSpineColumnsAndFeatureValuesInSpineOrder() throws Exception {
        Definitions defs = DefinitionsParser.parse("definitions.yaml",
            Files.readString(Path.of("../config/demo/definitions.yaml")));
        RowValidator v = new RowValidator(defs.source("orders").orElseThrow(), defs.entity("customer").orElseThrow());
        NodeSettings settings = TestNodes.single(dir);
        try (HearthNode node = new HearthNode(settings).start()) {
            new RegistryStore(node.ignite(), Clock.systemUTC()).apply(defs);
            Map<String, EventBlock> blocks = new HashMap<>();
            for (String c : List.of("A", "B")) {
                EventBlock.Builder b = v.newBlock();
                for (int i = 1; i <= 5; i++) {
                    Map<String, Object> row = Map.of("customer_id", c, "order_id", c + i, "amount", i * (c.equals("A") ? 1.0 : 10.0),
                        "channel", "web", "event_ts", i * 86_400_000L);
                    RowCheck.Accepted a = (RowCheck.Accepted) v.check(row);
                    b.add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
                }
                blocks.put(c, b.build());
            }
            new EventStore(node.ignite()).write("orders", blocks);

            TrainingSets sets = new TrainingSets(node.ignite(), new RegistryStore(node.ignite(), Clock.systemUTC()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"A", "1970-01-03T12:00:00Z", "1"});
            rows.add(new String[] {"B", "1970-01-06T00:00:00Z", "0"});
            rows.add(new String[] {"nobody", "1970-01-06T00:00:00Z", null}); // an unquoted empty CSV cell
            rows.add(new String[] {"A", "1970-01-03T12:00:00Z", "1"}); // duplicates are kept
            Spine spine = Spine.fromText(List.of("customer_id", "event_ts", "label"), rows.iterator(),
                defs.entity("customer").orElseThrow(), defs.source("orders").orElseThrow(), "event_ts");
            var checked = sets.check("churn_train", List.of(FeatureRef.parse("customer_orders:last_amount"),
                FeatureRef.parse("customer_orders:purchase_frequency_30d")));
            TrainingSets.Outcome out = sets.buildTable(checked, spine, false, null);
            assertThat(out.rows()).isEqualTo(4);
            assertThat(out.table()).isEqualTo("TRAINING.CHURN_TRAIN");
            assertThat(out.features().get(0).notFound()).isEqualTo(1);

            try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + settings.clientPort());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT customer_id, event_ts, label, customer_orders__last_amount, "
                     + "customer_orders__purchase_frequency_30d FROM training.churn_train ORDER BY _key")) {
                List<String> got = new ArrayList<>();
                while (rs.next()) {
                    got.add(rs.getString(1) + "|" + rs.getTimestamp(2).getTime() + "|" + rs.getObject(3) + "|"
                        + rs.getObject(4) + "|" + rs.getObject(5));
                }
                assertThat(got).containsExactly(
                    "A|216000000|1|2.0|2",
                    "B|432000000|0|50.0|5",
                    "nobody|432000000|null|null|0",
                    "A|216000000|1|2.0|2");
            }
            assertThatThrownBy(() -> sets.buildTable(checked, spine, false, null)).isInstanceOf(SpineException.class)
                .hasMessageContaining("exists");
            assertThat(sets.buildTable(checked, spine, true, null).rows()).isEqualTo(4);

            Spine clash = Spine.fromText(List.of("customer_id", "event_ts", "customer_orders__last_amount"),
                List.<String[]>of(new String[] {"A", "1970-01-03T12:00:00Z", "1"}).iterator(),
                defs.entity("customer").orElseThrow(), defs.source("orders").orElseThrow(), "event_ts");
            assertThatThrownBy(() -> sets.buildTable(sets.check("clash", checked.features().stream()
                .map(f -> f.ref()).toList()), clash, false, null)).isInstanceOf(SpineException.class)
                .hasFieldOrPropertyWithValue("rule", "spine.column_clash");
            assertThat(node.ignite().cacheNames()).doesNotContain("training_clash");
        }
    }
    @Test
    void collectedColumnsSurviveIgnitesBinaryMarshallerAsJobResultsBetweenNodesDo() throws Exception {
        try (HearthNode node = new HearthNode(TestNodes.single(dir)).start()) {
            List<ValueColumn> cols = List.of(new ValueColumn(ColumnType.DOUBLE, 70), new ValueColumn(ColumnType.STRING, 70),
                new ValueColumn(ColumnType.TIMESTAMP, 70), new ValueColumn(ColumnType.BOOL, 70));
            for (int r = 0; r < 70; r++) {
                cols.get(0).set(r, r % 3 == 0 ? null : (Object) (r / 4.0));
                cols.get(1).set(r, r % 5 == 0 ? null : "s" + r);
                cols.get(2).set(r, r % 7 == 0 ? null : (Object) (1_700_000_000_000L + r));
                cols.get(3).set(r, r % 2 == 0 ? null : (Object) (r % 4 == 1));
            }
            for (ValueColumn c : cols) {
                org.apache.ignite.binary.BinaryObject b = node.ignite().binary().toBinary(c);
                ValueColumn back = b.deserialize();
                assertThat(back.type()).isEqualTo(c.type());
                for (int r = 0; r < 70; r++) {
                    assertThat(back.get(r)).as("%s row %d", c.type(), r).isEqualTo(c.get(r));
                }
            }
        }
    }
}
