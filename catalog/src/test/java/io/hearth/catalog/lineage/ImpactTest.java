package io.hearth.catalog.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.Plan;
import io.hearth.catalog.Plan.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What lies downstream of each change of a plan, and which breaking changes reach a model in use. */
class ImpactTest {
    private final Definitions shop = Shop.definitions();

    private static Change change(Impact impact, String kind, String name) {
        return impact.plan().changes().stream().filter(c -> c.kind().equals(kind) && c.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no change to " + kind + " " + name + "\n" + impact.render()));
    }

    @Test
    void aChangedViewListsItsFeaturesTheirServicesTheModelsAndTheirTrainingSets() {
        Impact impact = Impact.of(shop, Shop.edited("ttl: 30d", "ttl: 14d"));
        Downstream d = impact.downstream(change(impact, "feature_view", "customer_orders"));
        assertThat(d).isEqualTo(new Downstream(
            List.of("customer_orders:last_amount", "customer_orders:spend_7d", "customer_orders:orders_30d",
                "customer_orders:last_channel"),
            List.of("churn_model_v1", "marketing"), List.of("churn_v1"), List.of("churn_2026q1")));
        assertThat(impact.render()).contains("      > downstream: 4 features (customer_orders:last_amount, "
            + "customer_orders:spend_7d, customer_orders:orders_30d, customer_orders:last_channel), 2 services "
            + "(churn_model_v1, marketing), 1 model (churn_v1), 1 training set (churn_2026q1)\n");
    }

    @Test
    void aTtlChangeReachesOnlyPlainFeaturesSoAModelServedWindowsOnlyIsNotInUse() {
        Impact impact = Impact.of(shop, Shop.edited("ttl: 30d", "ttl: 14d"));
        assertThat(change(impact, "feature_view", "customer_orders").isBreaking()).isTrue();
        assertThat(impact.inUse()).as("churn_model_v1 serves spend_7d (a window) and a profile feature").isEmpty();
    }

    @Test
    void aBreakingChangeToAServedFeatureIsInUseByTheModel() {
        Impact impact = Impact.of(shop, Shop.edited("window: 7d", "window: 14d"));
        assertThat(impact.inUse()).containsExactly(new InUse("churn_v1", "churn_model_v1", "feature_view",
            "customer_orders", "feature spend_7d now computes something else"));
        assertThat(impact.render()).contains("breaking changes reach models in use: model churn_v1 uses feature service "
            + "churn_model_v1, reached by feature_view customer_orders: feature spend_7d now computes something else")
            .contains("--force");
    }

    @Test
    void aColumnTypeChangeReachesModelsThroughTheFeaturesComputedFromIt() {
        Impact amount = Impact.of(shop, Shop.edited("amount: double", "amount: float"));
        assertThat(amount.inUse()).extracting(InUse::model, InUse::kind, InUse::reason)
            .containsExactly(org.assertj.core.api.Assertions.tuple("churn_v1", "source",
                "column amount narrowed double -> float: stored values float cannot hold read changed"));
        Impact channel = Impact.of(shop, Shop.edited("channel: string", "channel: long"));
        assertThat(channel.inUse()).as("channel feeds only the marketing service, which no model uses").isEmpty();
        assertThat(channel.downstream(change(channel, "source", "orders")).services())
            .containsExactly("churn_model_v1", "marketing");
    }

    @Test
    void aBreakingChangeToTheServiceItselfIsInUse() {
        Impact impact = Impact.of(shop, Shop.edited("features: [\"customer_orders:spend_7d\", \"customer_profile:tier\"]",
            "features: [\"customer_orders:spend_7d\"]"));
        assertThat(impact.inUse()).extracting(InUse::service, InUse::kind, InUse::name)
            .containsExactly(org.assertj.core.api.Assertions.tuple("churn_model_v1", "feature_service", "churn_model_v1"));
    }

    @Test
    void nonBreakingChangesAndAdditionsAreNeverInUse() {
        Impact impact = Impact.of(shop, Shop.edited("  - name: marketing\n", "  - name: marketing\n    owner: growth\n"));
        assertThat(impact.plan().changes()).hasSize(1);
        assertThat(impact.inUse()).isEmpty();
        Impact fromNothing = Impact.of(Definitions.empty(), shop);
        assertThat(fromNothing.downstream()).isEmpty();
        assertThat(fromNothing.inUse()).isEmpty();
    }

    @Test
    void onlyModelsAlreadyRegisteredCount() {
        Definitions withoutModel = Shop.withoutModels();
        String next = Shop.YAML.replace("window: 7d", "window: 14d");
        assertThat(Impact.of(withoutModel, DefinitionsParser.parse("next.yaml", next)).inUse())
            .as("a model registered with the change itself was trained on what it now says").isEmpty();
    }

    @Test
    void aRemovedModelIsListedButNeitherBreakingNorInUse() {
        Definitions withoutModel = Shop.withoutModels();
        Impact impact = Impact.of(shop, withoutModel);
        Change c = change(impact, "model", "churn_v1");
        assertThat(c.action()).isEqualTo(Plan.Action.REMOVE);
        assertThat(c.isBreaking()).isFalse();
        assertThat(impact.inUse()).isEmpty();
    }

    @Test
    void trainingSetsBuiltFromAServiceAtRunTimeAreDownstreamToo() {
        LineageGraph graph = LineageGraph.of(shop).with(List.of(),
            List.of(new Edge("service:marketing", "training_set:campaign_2026", "built_from")));
        Impact impact = Impact.of(shop, Shop.edited("channel: string", "channel: long"), graph);
        assertThat(impact.downstream(change(impact, "source", "orders")).trainingSets())
            .containsExactly("churn_2026q1", "campaign_2026");
    }

    @Test
    void theRefusalIsAConflictNamingModelsServicesAndReasonsInOneLine() {
        Impact impact = Impact.of(shop, Shop.edited("window: 7d", "window: 14d"));
        BreakingInUseException e = new BreakingInUseException(impact.inUse());
        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.rule()).isEqualTo("plan.breaking_in_use");
        assertThat(e.getMessage()).doesNotContain("\n").contains("churn_v1").contains("churn_model_v1")
            .contains("feature spend_7d now computes something else").contains("force=true");
    }
}
