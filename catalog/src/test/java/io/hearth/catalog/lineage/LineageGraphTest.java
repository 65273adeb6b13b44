package io.hearth.catalog.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.Definitions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage graph of the definitions, its walks up and down, and facts added to it. */
class LineageGraphTest {
    private final LineageGraph graph = LineageGraph.of(Shop.definitions());

    private static List<String> ids(LineageGraph g) {
        return g.nodes().stream().map(Node::id).toList();
    }

    @Test
    void everyObjectOfTheDefinitionsIsANodeNamedKindColonName() {
        assertThat(ids(graph)).contains("entity:customer", "topic:shop.orders", "source:orders", "column:orders.amount",
            "view:customer_orders", "feature:customer_orders:spend_7d", "service:churn_model_v1", "model:churn_v1",
            "training_set:churn_2026q1");
        assertThat(graph.node("feature:customer_orders:spend_7d")).contains(
            new Node("feature:customer_orders:spend_7d", "feature", "customer_orders:spend_7d"));
        assertThat(graph.nodes("column")).hasSize(7);
    }

    @Test
    void edgesRunTheWayDataFlows() {
        assertThat(graph.edges()).contains(
            new Edge("topic:shop.orders", "source:orders", Relation.FEEDS),
            new Edge("source:orders", "column:orders.amount", Relation.HAS_COLUMN),
            new Edge("source:orders", "view:customer_orders", Relation.READ_BY),
            new Edge("view:customer_orders", "feature:customer_orders:spend_7d", Relation.DEFINES),
            new Edge("feature:customer_orders:spend_7d", "service:churn_model_v1", Relation.SERVED_BY),
            new Edge("service:churn_model_v1", "model:churn_v1", Relation.USED_BY),
            new Edge("training_set:churn_2026q1", "model:churn_v1", Relation.TRAINS),
            new Edge("entity:customer", "source:orders", Relation.DESCRIBES),
            new Edge("entity:customer", "view:customer_orders", Relation.DESCRIBES));
    }

    @Test
    void aColumnComputesAFeatureWithItsAggregationAndWindow() {
        assertThat(graph.from("column:orders.amount")).containsExactly(
            new Edge("column:orders.amount", "feature:customer_orders:last_amount", Relation.COMPUTES),
            new Edge("column:orders.amount", "feature:customer_orders:spend_7d", Relation.COMPUTES,
                Map.of("aggregation", "sum", "window", "7d")));
        assertThat(graph.to("feature:customer_orders:orders_30d")).as("a count reads no column")
            .containsExactly(new Edge("view:customer_orders", "feature:customer_orders:orders_30d", Relation.DEFINES));
    }

    @Test
    void downstreamOfAColumnReachesTheFeaturesServicesAndModelsItFeeds() {
        LineageGraph down = graph.downstream("column:orders.amount", Integer.MAX_VALUE);
        assertThat(ids(down)).containsExactly("column:orders.amount", "feature:customer_orders:last_amount",
            "feature:customer_orders:spend_7d", "service:churn_model_v1", "model:churn_v1");
        assertThat(down.edges()).hasSize(4);
    }

    @Test
    void aWalkStopsAtItsDepth() {
        assertThat(ids(graph.downstream("source:orders", 0))).containsExactly("source:orders");
        assertThat(ids(graph.downstream("source:orders", 1))).containsExactly("source:orders", "column:orders.customer_id",
            "column:orders.amount", "column:orders.channel", "column:orders.event_ts", "view:customer_orders");
        assertThat(graph.downstream("source:orders", 2).nodes("feature")).hasSize(4);
        assertThat(graph.downstream("source:orders", 3).nodes("service")).extracting(Node::name)
            .containsExactly("churn_model_v1", "marketing");
    }

    @Test
    void upstreamOfAModelReachesEveryTopicSourceAndColumnItsFeaturesComeFrom() {
        LineageGraph up = graph.upstream("model:churn_v1", Integer.MAX_VALUE);
        assertThat(ids(up)).contains("service:churn_model_v1", "training_set:churn_2026q1",
            "feature:customer_orders:spend_7d", "feature:customer_profile:tier", "column:orders.amount",
            "column:profiles.tier", "view:customer_orders", "source:orders", "source:profiles", "topic:shop.orders",
            "entity:customer");
        assertThat(ids(up)).doesNotContain("feature:customer_orders:last_channel", "service:marketing",
            "column:orders.channel");
    }

    @Test
    void aWalkFromAnUnknownNodeIsEmptyAndANegativeDepthIsRefused() {
        assertThat(graph.downstream("source:nope", 3).nodes()).isEmpty();
        assertThatThrownBy(() -> graph.upstream("source:orders", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runTimeFactsAreAddedWithoutChangingTheGraphTheyExtend() {
        LineageGraph more = graph.with(List.of(Node.of(NodeId.FILE, "orders_2025.parquet")), List.of(
            new Edge("file:orders_2025.parquet", "source:orders", "backfills"),
            new Edge("service:churn_model_v1", "training_set:churn_2026q2", "built_from"),
            new Edge("topic:shop.orders", "source:orders", Relation.FEEDS)));
        assertThat(more.node("training_set:churn_2026q2")).as("a node an edge names").isPresent();
        assertThat(more.to("source:orders")).hasSize(3);
        assertThat(ids(more.upstream("source:orders", 1))).contains("file:orders_2025.parquet");
        assertThat(ids(more.downstream("column:orders.amount", Integer.MAX_VALUE))).contains("training_set:churn_2026q2");
        assertThat(graph.contains("file:orders_2025.parquet")).as("the original is unchanged").isFalse();
        assertThat(LineageGraph.of(Shop.definitions(), List.of(), more.edges()).edges()).hasSameSizeAs(more.edges());
    }

    @Test
    void aModelsVersionAndADeprecationAreAttributesNotPartOfTheId() {
        assertThat(graph.node("model:churn_v1").orElseThrow().attributes()).containsEntry("version", "1");
        assertThat(graph.node("column:orders.amount").orElseThrow().attributes()).containsEntry("type", "double");
        LineageGraph deprecated = LineageGraph.of(Shop.edited("{name: last_channel, column: channel}",
            "{name: last_channel, column: channel, deprecated: {since: 2026-01-15, reason: noisy}}"));
        assertThat(deprecated.node("feature:customer_orders:last_channel").orElseThrow().attributes())
            .containsEntry("deprecated", true).containsEntry("deprecated_since", "2026-01-15");
        assertThat(deprecated.node("feature:customer_orders:spend_7d").orElseThrow().attributes()).isEmpty();
    }

    @Test
    void bothWaysJoinsTheUpstreamAndDownstreamWalksAndGoesNoWaySideways() {
        LineageGraph both = graph.both("feature:customer_orders:spend_7d", Integer.MAX_VALUE);
        assertThat(ids(both)).contains("column:orders.amount", "source:orders", "topic:shop.orders", "entity:customer",
            "view:customer_orders", "service:churn_model_v1", "model:churn_v1");
        assertThat(ids(both)).as("what feeds the model beside the feature is sideways").doesNotContain(
            "training_set:churn_2026q1", "feature:customer_profile:tier", "feature:customer_orders:last_amount", "column:orders.channel");
        assertThat(both.edges()).doesNotHaveDuplicates();
        assertThat(ids(graph.both("view:customer_orders", 1))).containsExactlyInAnyOrder("view:customer_orders",
            "source:orders", "entity:customer", "feature:customer_orders:last_amount", "feature:customer_orders:spend_7d",
            "feature:customer_orders:orders_30d", "feature:customer_orders:last_channel");
    }

    @Test
    void completedTrainingRunsAddTheSetsTheyBuiltAndBackfillsTheFilesTheyRead() {
        long t = java.time.Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
        Runs runs = new Runs(List.of(
            new TrainingRun("r1", "CHURN_2026Q1", "churn_model_v1", List.of("customer_orders:spend_7d",
                "customer_profile:tier"), "CSV upload: 3 rows", 3, t, t + 1000, TrainingRun.COMPLETE, null,
                "table TRAINING.CHURN_2026Q1", "ana"),
            new TrainingRun("r2", "adhoc", null, List.of("customer_orders:last_amount"), "table PUBLIC.SPINE", 10, t + 5000,
                t + 6000, TrainingRun.COMPLETE, null, "file csv", "anonymous"),
            new TrainingRun("r3", "broken", "marketing", List.of("customer_orders:last_channel"), "CSV upload: 1 row", 1,
                t + 7000, t + 7100, TrainingRun.FAIL, "no such table", null, "anonymous")),
            List.of(new BackfillRun("b1", "orders", List.of(new BackfillRun.BackfillFile("orders_2025.parquet", "abc", 42)),
                t, t + 2000, BackfillRun.COMPLETE, 40, 0, 2, null, "anonymous")));
        LineageGraph g = LineageGraph.of(Shop.definitions(), runs);
        assertThat(g.node("training_set:churn_2026q1").orElseThrow().attributes()).as("the model's spelling")
            .containsEntry("rows", 3L).containsEntry("by", "ana").containsEntry("runs", 1L)
            .containsEntry("built_at", "2026-03-01T10:00:01Z");
        assertThat(g.to("training_set:churn_2026q1")).singleElement().satisfies(e -> {
            assertThat(e.from()).isEqualTo("service:churn_model_v1");
            assertThat(e.relation()).isEqualTo(Relation.BUILT_INTO);
        });
        assertThat(g.to("training_set:adhoc")).extracting(Edge::from).containsExactly("feature:customer_orders:last_amount");
        assertThat(g.contains("training_set:broken")).as("a failed run built nothing").isFalse();
        assertThat(g.to("source:orders")).filteredOn(e -> e.relation().equals(Relation.BACKFILLS)).singleElement()
            .satisfies(e -> {
                assertThat(e.from()).isEqualTo("file:orders_2025.parquet");
                assertThat(e.attributes()).containsEntry("rows", 42L).containsEntry("status", "COMPLETE");
            });
        assertThat(ids(g.upstream("training_set:adhoc", Integer.MAX_VALUE))).contains("column:orders.amount",
            "topic:shop.orders");
        assertThat(ids(g.downstream("file:orders_2025.parquet", 3))).contains("source:orders", "column:orders.amount",
            "view:customer_orders", "feature:customer_orders:spend_7d");
    }

    @Test
    void nodeIdsSplitAtTheFirstColon() {
        assertThat(NodeId.kind("feature:v:f")).isEqualTo("feature");
        assertThat(NodeId.name("feature:v:f")).isEqualTo("v:f");
        assertThat(Node.parse("column:orders.amount")).isEqualTo(Node.of("column", "orders.amount"));
        assertThatThrownBy(() -> Node.parse("orders")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyDefinitionsMakeAnEmptyGraph() {
        LineageGraph empty = LineageGraph.of(Definitions.empty());
        assertThat(empty.nodes()).isEmpty();
        assertThat(empty.edges()).isEmpty();
    }
}
