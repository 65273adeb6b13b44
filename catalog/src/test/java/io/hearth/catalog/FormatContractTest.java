package io.hearth.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The definitions format is a contract: a file in the shape of the shared example (kept here as it was given, while
 * the demo grows metadata and models) must keep parsing, to the same definitions as ever.
 */
class FormatContractTest {

    private static String contract() throws IOException {
        try (InputStream in = FormatContractTest.class.getResourceAsStream("/format-contract/definitions.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSharedExampleParsesWithItsMetadataWhereItWasWritten() throws IOException {
        Definitions d = DefinitionsParser.parse("definitions.yaml", contract());
        assertThat(d.project()).isEqualTo("shop");
        assertThat(d.viewNames()).containsExactly("customer_orders", "customer_profile");
        FeatureView orders = d.featureView("customer_orders").orElseThrow();
        assertThat(orders.owner()).isEqualTo("growth-team");
        assertThat(orders.meta().tags()).containsExactly(new Tag("domain", "commerce"));
        assertThat(d.featureView("customer_profile").orElseThrow().owner()).isEqualTo("crm-team");
        assertThat(d.models()).isEmpty();
    }

    @Test
    void theSharedExampleSurvivesTheCanonicalRoundTrip() throws IOException {
        Definitions d = DefinitionsParser.parse("definitions.yaml", contract());
        assertThat(DefinitionsParser.parse("registry.json", CanonicalForm.toJson(d))).isEqualTo(d);
    }
}
