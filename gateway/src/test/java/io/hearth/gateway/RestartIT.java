package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.compute.time.Timestamps;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted on the same data dir has every definition and acknowledged event, and answers identically. */
class RestartIT {
    @TempDir
    Path dir;

    @Test
    void aRestartedNodeAnswersEveryLookupIdentically() {
        long now = Timestamps.parse("2026-03-01T00:00:00Z");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            rows.append(GatewayIT.order("r" + i, "C" + (i % 37), i % 500, i % 3 == 0 ? "web" : "app",
                now - (i * 7919L % (60 * GatewayIT.DAY)), null)).append('\n');
        }
        StringBuilder keys = new StringBuilder();
        for (int c = 0; c < 40; c++) {
            keys.append(c == 0 ? "" : ",").append("\"C").append(c).append('"');
        }
        String lookup = "{\"features\":[\"customer_orders:last_amount\",\"customer_orders:last_channel\","
            + "\"customer_orders:purchase_frequency_30d\",\"customer_orders:average_order_value_30d\","
            + "\"customer_orders:spend_7d\",\"customer_orders:max_order_1d\"],\"entities\":{\"customer_id\":[" + keys + "]},"
            + "\"as_of\":\"" + Timestamps.format(now - 3 * GatewayIT.DAY) + "\"}";
        String before;
        String registryBefore;
        try (Harness h = new Harness(dir, now, 1L << 30).start()) {
            assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
            assertThat(h.ndjson("orders", rows.toString()).json().get("accepted").asLong()).isEqualTo(3000);
            before = h.postJson("/v1/features/online", lookup).body();
            registryBefore = h.get("/v1/registry").body();
        }
        try (Harness h = new Harness(dir, now, 1L << 30)) {
            // same data dir and node id, new process-level objects: as after Ctrl-C and ./hearth up again
            h.start();
            assertThat(h.get("/v1/registry").body()).isEqualTo(registryBefore);
            assertThat(h.postJson("/v1/features/online", lookup).body()).isEqualTo(before);
            assertThat(h.get("/v1/sources/orders/events?entity=C1&limit=100000").json().get("events")).hasSize(82);
        }
    }
}
