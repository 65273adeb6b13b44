package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog over HTTP on a real node: models registered and listed, a breaking change that reaches a model in use
 * refused unless forced, what lies downstream of a change in the plan, and the Deprecation and Sunset headers of a
 * lookup that serves something deprecated.
 */
class CatalogIT {
    /** The demo deprecates customer_orders:max_order_1d since 2026-01-15, sunset 2026-12-31, for max_order_7d. */
    static final String MAX_1D_SINCE = "@1768435200";
    static final String NO_TTL_MODEL = "{\"name\":\"churn_v2\",\"version\":2,\"feature_service\":\"churn_model_v1\","
        + "\"owner\":\"ml-team\",\"tags\":[\"shadow\"]}";

    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(dir, Timestamps.parse("2026-03-01T00:00:00Z"), 1L << 30).start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Every test starts from the demo definitions (forced: a test may have left a change the demo's model uses). */
    @BeforeEach
    void demo() {
        Harness.Response r = h.send("PUT", "/v1/registry?force=true", "application/yaml", Harness.DEMO_YAML);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static long version() {
        return h.get("/v1/registry").json().get("version").asLong();
    }

    private static Harness.Response lookup(String endpoint, String selection) {
        Harness.Response r = h.postJson(endpoint, "{" + selection + ",\"entities\":{\"customer_id\":[\"C1\"]}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void theDemosModelIsListedWithItsServiceAndMetadata() {
        JsonNode models = h.get("/v1/models").json();
        assertThat(models.get("registry_version").asLong()).isEqualTo(version());
        assertThat(models.get("models")).singleElement().satisfies(m -> {
            assertThat(m.get("name").asText()).isEqualTo("churn_v1");
            assertThat(m.get("version").asText()).isEqualTo("1");
            assertThat(m.get("feature_service").asText()).isEqualTo("churn_model_v1");
            assertThat(m.get("owner").asText()).isEqualTo("ml-team");
            assertThat(m.get("training_sets").get(0).asText()).isEqualTo("churn_train");
        });
    }

    @Test
    void aModelPostedIsStoredAsTheNextVersionAndPostingItAgainChangesNothing() {
        long before = version();
        Harness.Response r = h.postJson("/v1/models", NO_TTL_MODEL);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("version").asLong()).isEqualTo(before + 1);
        assertThat(r.json().get("changed").asBoolean()).isTrue();
        assertThat(r.json().get("model").get("version").asText()).as("a number is read as its text").isEqualTo("2");
        assertThat(r.json().at("/plan/text").asText()).contains("+ model churn_v2");
        assertThat(h.get("/v1/models").json().get("models")).extracting(m -> m.get("name").asText())
            .containsExactly("churn_v1", "churn_v2");
        assertThat(h.get("/v1/registry").json().at("/definitions/models/1/tags/0").asText()).isEqualTo("shadow");

        Harness.Response again = h.postJson("/v1/models", NO_TTL_MODEL);
        assertThat(again.json().get("changed").asBoolean()).isFalse();
        assertThat(version()).isEqualTo(before + 1);

        Harness.Response replaced = h.send("POST", "/v1/models", "application/yaml",
            "name: churn_v2\nversion: 3\nfeature_service: churn_model_v1\n");
        assertThat(replaced.json().at("/plan/changes/0/details/0").asText()).isEqualTo("~ version: 2 -> 3");
        assertThat(h.get("/v1/models").json().get("models")).hasSize(2);
    }

    @Test
    void aModelOfAnUnknownServiceIsRefusedNamingTheFieldTheLineAndTheRule() {
        long before = version();
        Harness.Response r = h.postJson("/v1/models", "{\"name\": \"churn_v2\",\n \"version\": \"1\",\n"
            + " \"feature_service\": \"churn_model_v2\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        JsonNode e = r.json().get("errors").get(0);
        assertThat(e.get("field").asText()).isEqualTo("feature_service");
        assertThat(e.get("rule").asText()).isEqualTo("ref.feature_service");
        assertThat(e.get("line").asInt()).isEqualTo(3);
        assertThat(e.get("message").asText()).contains("did you mean 'churn_model_v1'");
        assertThat(version()).isEqualTo(before);
        Harness.Response broken = h.postJson("/v1/models", "{\"name\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("rule").asText()).isEqualTo("json.syntax");
    }

    @Test
    void aBreakingChangeReachingAModelInUseIsRefusedWithA409UnlessForced() {
        long before = version();
        String changed = Harness.DEMO_YAML.replace("ttl: 30d", "ttl: 14d");
        Harness.Response refused = h.send("PUT", "/v1/registry", "application/yaml", changed);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        JsonNode p = refused.json();
        assertThat(p.get("code").asText()).isEqualTo("HEARTH-REQ-7");
        assertThat(p.get("rule").asText()).isEqualTo("plan.breaking_in_use");
        assertThat(p.get("detail").asText()).doesNotContain("\n").contains("churn_v1").contains("churn_model_v1")
            .contains("ttl changed");
        assertThat(p.get("in_use")).singleElement().satisfies(u -> {
            assertThat(u.get("model").asText()).isEqualTo("churn_v1");
            assertThat(u.get("service").asText()).isEqualTo("churn_model_v1");
            assertThat(u.get("kind").asText()).isEqualTo("feature_view");
            assertThat(u.get("name").asText()).isEqualTo("customer_orders");
            assertThat(u.get("reason").asText()).isEqualTo("ttl changed: served and training values change");
        });
        assertThat(version()).as("nothing stored").isEqualTo(before);

        Harness.Response forced = h.send("PUT", "/v1/registry?force=true", "application/yaml", changed);
        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        assertThat(forced.json().get("version").asLong()).isEqualTo(before + 1);
        assertThat(h.get("/v1/registry").json().at("/definitions/feature_views/0/ttl").asText()).isEqualTo("14d");
        assertThat(h.send("PUT", "/v1/registry?force=maybe", "application/yaml", changed).status()).isEqualTo(400);
    }

    @Test
    void aBreakingChangeNoModelUsesIsApplied() {
        String changed = Harness.DEMO_YAML.replace("        window: 1d\n", "        window: 2d\n");
        Harness.Response r = h.send("PUT", "/v1/registry", "application/yaml", changed);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/plan/summary/breaking").asLong()).isEqualTo(1);
        assertThat(r.json().at("/plan/summary/breaking_in_use").asLong()).isZero();
    }

    @Test
    void thePlanListsWhatLiesDownstreamOfEachChangeAndWhatIsInUse() {
        String changed = Harness.DEMO_YAML.replace("tenure_days: int", "tenure_days: float");
        JsonNode plan = h.send("POST", "/v1/registry/plan", "application/yaml", changed).json();
        JsonNode change = plan.get("changes").get(0);
        assertThat(change.get("name").asText()).isEqualTo("profiles");
        assertThat(change.at("/downstream/features")).extracting(JsonNode::asText)
            .containsExactly("customer_profile:tier", "customer_profile:tenure_days");
        assertThat(change.at("/downstream/services/0").asText()).isEqualTo("churn_model_v1");
        assertThat(change.at("/downstream/models/0").asText()).isEqualTo("churn_v1");
        assertThat(change.at("/downstream/training_sets/0").asText()).isEqualTo("churn_train");
        assertThat(plan.get("in_use")).singleElement().satisfies(u ->
            assertThat(u.get("reason").asText()).startsWith("column tenure_days narrowed int -> float"));
        assertThat(plan.get("text").asText()).contains("> downstream: 2 features (customer_profile:tier, "
            + "customer_profile:tenure_days), 1 service (churn_model_v1), 1 model (churn_v1), 1 training set (churn_train)");
    }

    @Test
    void removingAServiceAModelUsesIsRefusedByValidationEvenWhenForced() {
        String noService = Harness.DEMO_YAML.substring(0, Harness.DEMO_YAML.indexOf("feature_services:"))
            + Harness.DEMO_YAML.substring(Harness.DEMO_YAML.indexOf("models:"));
        Harness.Response r = h.send("PUT", "/v1/registry?force=true", "application/yaml", noService);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().get("errors").get(0).get("rule").asText()).isEqualTo("ref.feature_service");
    }

    @Test
    void applyingFilesWithoutTheModelsRemovesThemAndThePlanSaysSo() {
        String noModels = Harness.DEMO_YAML.substring(0, Harness.DEMO_YAML.indexOf("models:"));
        JsonNode plan = h.send("POST", "/v1/registry/plan", "application/yaml", noModels).json();
        assertThat(plan.get("text").asText()).contains("- model churn_v1");
        assertThat(plan.at("/summary/breaking").asLong()).isZero();
        assertThat(h.send("PUT", "/v1/registry", "application/yaml", noModels).status()).isEqualTo(200);
        assertThat(h.get("/v1/models").json().get("models")).isEmpty();
    }

    @Test
    void aLookupOfADeprecatedFeatureCarriesDeprecationSunsetAndItsSuccessor() {
        for (String endpoint : new String[] {"/v1/features/online", "/get-online-features"}) {
            Harness.Response r = lookup(endpoint, "\"features\":[\"customer_orders:spend_7d\",\"customer_orders:max_order_1d\"]");
            assertThat(r.header("Deprecation")).as(endpoint).isEqualTo(MAX_1D_SINCE);
            assertThat(r.header("Sunset")).isEqualTo("Thu, 31 Dec 2026 00:00:00 GMT");
            assertThat(r.header("Link")).isEqualTo("<urn:hearth:feature:customer_orders:max_order_7d>; rel=\"successor-version\"");
        }
        Harness.Response current = lookup("/v1/features/online", "\"features\":[\"customer_orders:max_order_7d\"]");
        assertThat(current.header("Deprecation")).isNull();
        assertThat(current.header("Sunset")).isNull();
        assertThat(lookup("/v1/features/online", "\"feature_service\":\"churn_model_v1\"").header("Deprecation")).isNull();
    }

    @Test
    void aDeprecatedServiceOrViewIsAnnouncedFromTheVersionThatDeprecatesIt() {
        String service = "\"feature_service\":\"churn_model_v1\"";
        assertThat(lookup("/v1/features/online", service).header("Deprecation")).isNull();
        String deprecated = Harness.DEMO_YAML.replace("    description: Inputs of the churn risk model.\n",
            "    description: Inputs of the churn risk model.\n    deprecated: {since: 2026-02-01, reason: Retrained.}\n")
            .replace("    description: The latest profile snapshot per customer.\n",
                "    description: The latest profile snapshot per customer.\n"
                    + "    deprecated: {since: 2026-01-15, reason: Moving to accounts., sunset: 2026-06-30}\n");
        assertThat(h.applyYaml(deprecated).status()).isEqualTo(200);
        Harness.Response r = lookup("/v1/features/online", service);
        assertThat(r.header("Deprecation")).as("the earliest of the service's and its view's").isEqualTo(MAX_1D_SINCE);
        assertThat(r.header("Sunset")).isEqualTo("Tue, 30 Jun 2026 00:00:00 GMT");
        assertThat(r.header("Link")).isNull();
        assertThat(lookup("/v1/features/online", "\"features\":[\"customer_orders:last_amount\"]").header("Deprecation"))
            .isNull();
    }
}
