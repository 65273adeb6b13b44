package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.security.access.RouteRules;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI document describes every route the gateway serves, and a large body streams through ingest. */
class ApiSurfaceIT {
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(dir, System.currentTimeMillis(), 1L << 30).start();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOpenApiDocumentDescribesEveryRouteAndMethod() {
        Harness.Response r = h.get("/openapi.yaml");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Object> doc = new Yaml().load(r.body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        Set<String> served = new TreeSet<>();
        for (Route route : h.gateway.routes().getRoutes()) {
            if (route.getPath() == null || route.methods() == null) {
                continue;
            }
            if (route.getPath().startsWith(io.hearth.console.Console.PREFIX)) {
                continue; // the console's HTML pages and assets, not the API (ConsoleBrowserIT tests them)
            }
            String p = route.getPath().replaceAll(":([a-z_]+)", "{$1}");
            route.methods().forEach(m -> served.add(m.name().toLowerCase() + " " + p));
        }
        Set<String> documented = new TreeSet<>();
        paths.forEach((p, ops) -> ops.keySet().forEach(m -> documented.add(m + " " + p)));
        assertThat(served).isNotEmpty();
        assertThat(documented).containsAll(served);
        assertThat(served).containsAll(documented);
    }

    /**
     * A route without a line in the security module's table would need an admin key (a forgotten line locks a route,
     * it never opens it); this makes forgetting it fail the build instead. The document names each route's role.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyRouteHasAnAccessRuleAndTheDocumentNamesTheRoleItNeeds() {
        RouteRules rules = RouteRules.hearth();
        Set<String> undeclared = new TreeSet<>();
        for (Route route : h.gateway.routes().getRoutes()) {
            if (route.getPath() == null || route.methods() == null) {
                continue;
            }
            String p = route.getPath().replaceAll(":([a-z_]+)", "{$1}");
            route.methods().forEach(m -> {
                if (rules.declared(m.name(), p).isEmpty()) {
                    undeclared.add(m.name() + " " + p);
                }
            });
        }
        assertThat(undeclared).as("routes with no line in io.hearth.security.access.RouteRules#hearth: add one").isEmpty();
        Map<String, Object> doc = new Yaml().load(h.get("/openapi.yaml").body());
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
        paths.forEach((p, ops) -> ops.forEach((m, op) -> {
            Object role = op.get("x-hearth-role");
            assertThat(rules.declared(m.toUpperCase(java.util.Locale.ROOT), p).map(r -> r.access().name()
                .toLowerCase(java.util.Locale.ROOT))).as(m + " " + p + ": x-hearth-role in /openapi.yaml").contains(
                String.valueOf(role));
        }));
    }

    @Test
    void anNdjsonLineOverTheLineLimitIsA413NamingTheRule() {
        String line = "{\"customer_id\":\"X\",\"channel\":\"" + "x".repeat(1_100_000) + "\"}\n";
        Harness.Response r = h.ndjson("orders", line);
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.json().get("rule").asText()).isEqualTo("line.size");
        assertThat(h.get("/health").status()).isEqualTo(200);
    }

    @Test
    void aLargeNdjsonBodyStreamsThroughAndEveryRowIsCounted() {
        int n = 60_000;
        StringBuilder sb = new StringBuilder(n * 110);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            sb.append("{\"customer_id\":\"L").append(i % 1000).append("\",\"order_id\":\"L").append(i)
                .append("\",\"amount\":").append(i % 977).append(",\"channel\":\"web\",\"event_ts\":").append(now - i * 1000L)
                .append("}\n");
        }
        Harness.Response r = h.ndjson("orders", sb.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("accepted").asLong()).isEqualTo(n);
        assertThat(h.get("/v1/sources/orders/events?entity=L7&limit=1000").json().get("events")).hasSize(60);
    }
}
