package io.hearth.security.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteRulesTest {
    private final RouteRules rules = RouteRules.hearth();

    private Access access(String method, String path) {
        return rules.match(method, path).map(m -> m.rule().access()).orElse(null);
    }

    @Test
    void exactAndTemplatedPathsFindTheirRule() {
        assertThat(access("GET", "/health")).isEqualTo(Access.OPEN);
        assertThat(access("POST", "/get-online-features")).isEqualTo(Access.READER);
        assertThat(access("PUT", "/v1/registry")).isEqualTo(Access.ADMIN);
        assertThat(access("GET", "/v1/registry")).isEqualTo(Access.READER);
        assertThat(access("GET", "/v1/sources/orders/events")).isEqualTo(Access.READER);
        assertThat(access("POST", "/v1/sources/orders/breaker/reset")).isEqualTo(Access.ADMIN);
        assertThat(access("GET", "/v1/registry/")).as("one trailing slash, as the router").isEqualTo(Access.READER);
    }

    @Test
    void theIngestRuleNamesTheSourceItIsScopedBy() {
        RouteRules.Match m = rules.match("POST", "/v1/ingest/orders").orElseThrow();
        assertThat(m.rule().access()).isEqualTo(Access.WRITER);
        assertThat(m.scopeValue()).contains("orders");
        assertThat(rules.match("POST", "/v1/ingest/ord%65rs").orElseThrow().scopeValue())
            .as("percent-decoded as the router decodes it").contains("orders");
        assertThat(rules.match("POST", "/v1/ingest/")).as("no source, no route").isEmpty();
    }

    @Test
    void routesOfLaterIssuesAreAlreadyGuarded() {
        assertThat(access("GET", "/v1/catalog/search")).isEqualTo(Access.READER);
        assertThat(access("GET", "/v1/lineage/feature_view/customer_orders")).isEqualTo(Access.READER);
        assertThat(access("GET", "/console")).isEqualTo(Access.READER);
        assertThat(access("GET", "/console/feature_view/x")).isEqualTo(Access.READER);
        assertThat(access("POST", "/v1/models")).isEqualTo(Access.ADMIN);
        assertThat(access("GET", "/v1/models")).isEqualTo(Access.READER);
    }

    @Test
    void aMethodOrPathNoLineCoversHasNoRule() {
        assertThat(rules.match("DELETE", "/v1/registry")).isEmpty();
        assertThat(rules.match("GET", "/v1/nothing")).isEmpty();
        assertThat(rules.match("POST", "/v1/catalog/search")).isEmpty();
    }

    @Test
    void everyAdminRouteIsAuditedAndEveryRouteHasOneRule() {
        assertThat(rules.rules()).filteredOn(r -> r.access() == Access.ADMIN).allMatch(r -> r.audit().isPresent());
        assertThatThrownBy(() -> new RouteRules(List.of(RouteRules.reader("GET /a"), RouteRules.admin("GET /a", "x"))))
            .hasMessageContaining("GET /a has two rules");
        assertThatThrownBy(() -> new RouteRule("POST", "/x", Access.ADMIN, Optional.empty(), Optional.empty()))
            .hasMessageContaining("every admin route is audited");
        assertThatThrownBy(() -> new RouteRules(List.of(RouteRules.writer("POST /v1/ingest/{src}", "source"))))
            .hasMessageContaining("no path parameter {source}");
    }

    @Test
    void aRouteOfTheOpenApiDocumentFindsItsDeclaredRule() {
        assertThat(rules.declared("GET", "/v1/training-sets/{id}/data")).map(RouteRule::audit).contains(Optional.of("training_set.export"));
        assertThat(rules.declared("GET", "/v1/catalog/objects/{kind}/{name}")).map(RouteRule::access).contains(Access.READER);
        assertThat(rules.declared("PATCH", "/v1/registry")).isEmpty();
    }
}
