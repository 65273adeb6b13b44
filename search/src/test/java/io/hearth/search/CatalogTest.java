package io.hearth.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.lineage.Runs;
import io.hearth.catalog.lineage.TrainingRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's objects as the catalog shows them: names, inherited owner and deprecation, definitions. */
class CatalogTest {
    private final Catalog demo = Catalog.of(Catalogs.demo(), Runs.NONE);

    @Test
    void everyObjectOfTheDefinitionsIsListedByKindWithItsCatalogName() {
        assertThat(demo.names(ObjectKind.FEATURE)).contains("customer_orders:spend_7d", "customer_profile:tier")
            .hasSize(9);
        assertThat(demo.names(ObjectKind.COLUMN)).contains("orders.amount", "profiles.tier").hasSize(10);
        assertThat(demo.names(ObjectKind.TRAINING_SET)).containsExactly("churn_train");
        assertThat(demo.objects()).extracting(o -> o.kind().ordinal()).isSorted();
        assertThat(demo.object(ObjectKind.COLUMN, "orders.amount").orElseThrow().id()).isEqualTo("column:orders.amount");
    }

    @Test
    void featuresAndColumnsTakeTheOwnerAndDeprecationOfTheirViewOrSourceWhenTheyHaveNone() {
        CatalogObject spend = demo.object(ObjectKind.FEATURE, "customer_orders:spend_7d").orElseThrow();
        assertThat(spend.owner()).isEqualTo("growth-team");
        assertThat(spend.meta().owner()).as("its own metadata says nothing").isNull();
        assertThat(spend.shortName()).isEqualTo("spend_7d");
        assertThat(spend.words()).containsExactly("amount", "sum", "7d");
        assertThat(demo.object(ObjectKind.COLUMN, "orders.customer_id").orElseThrow().tags()).containsExactly("pii");
        assertThat(demo.object(ObjectKind.COLUMN, "orders.amount").orElseThrow().owner()).isEqualTo("checkout-team");
        assertThat(demo.object(ObjectKind.FEATURE, "customer_orders:max_order_1d").orElseThrow().deprecated()).isTrue();
        Catalog dep = Catalog.of(io.hearth.catalog.DefinitionsParser.parse("d.yaml", Catalogs.DEMO_YAML.replace(
            "    tags: {domain: crm}\n", "    tags: {domain: crm}\n    deprecated: {since: 2026-02-01, reason: merged}\n")),
            Runs.NONE);
        assertThat(dep.object(ObjectKind.FEATURE, "customer_profile:tier").orElseThrow().deprecated())
            .as("a feature of a deprecated view").isTrue();
    }

    @Test
    void definitionsAreTheCanonicalFormOfEachObject() {
        assertThat(demo.definition(ObjectKind.FEATURE, "customer_orders:spend_7d")).contains(Map.of("name", "spend_7d",
            "column", "amount", "aggregation", "sum", "window", "7d", "description", "Total spent in the last 7 days."));
        Map<String, Object> amount = demo.definition(ObjectKind.COLUMN, "orders.amount").orElseThrow();
        assertThat(amount).containsEntry("type", "double").containsKey("contract");
        assertThat(demo.definition(ObjectKind.COLUMN, "orders.customer_id").orElseThrow())
            .containsEntry("description", "The customer's account id.").containsEntry("tags", List.of("pii"));
        assertThat(demo.definition(ObjectKind.MODEL, "churn_v1").orElseThrow()).containsEntry("version", "1");
        assertThat(demo.definition(ObjectKind.VIEW, "nope")).isEmpty();
        assertThat(demo.definition(ObjectKind.COLUMN, "orders")).isEmpty();
        assertThat(demo.definition(ObjectKind.FEATURE, "customer_orders")).isEmpty();
    }

    @Test
    void trainingSetsComeFromModelsAndFromCompletedRuns() {
        long t = 1_767_225_600_000L;
        Runs runs = new Runs(List.of(
            new TrainingRun("r1", "CHURN_TRAIN", "churn_model_v1", List.of("customer_orders:last_amount"),
                "CSV upload: 3 rows", 3, t, t + 10, TrainingRun.COMPLETE, null, "table TRAINING.CHURN_TRAIN", "ana"),
            new TrainingRun("r2", "adhoc", null, List.of("customer_orders:spend_7d"), "table PUBLIC.S", 5, t, t + 10,
                TrainingRun.COMPLETE, null, "file csv", "anonymous"),
            new TrainingRun("r3", "never", null, List.of("customer_orders:spend_7d"), null, 5, t, t + 10,
                TrainingRun.FAIL, "boom", null, "anonymous")), List.of());
        Catalog c = Catalog.of(Catalogs.demo(), runs);
        assertThat(c.names(ObjectKind.TRAINING_SET)).containsExactly("churn_train", "adhoc");
        CatalogObject churn = c.object(ObjectKind.TRAINING_SET, "churn_train").orElseThrow();
        assertThat(churn.owner()).as("the owner of the model it trains").isEqualTo("ml-team");
        assertThat(churn.description()).isEqualTo("Trains model churn_v1. Built for service churn_model_v1, 3 rows, "
            + "from CSV upload: 3 rows.");
        assertThat(churn.entities()).containsExactly("customer");
        assertThat(c.definition(ObjectKind.TRAINING_SET, "churn_train").orElseThrow())
            .containsEntry("models", List.of("churn_v1")).containsEntry("feature_service", "churn_model_v1");
    }
}
