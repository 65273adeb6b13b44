package io.hearth.cli;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.time.Timestamps;
import io.hearth.ingest.IngestPipeline;
import io.hearth.node.store.RegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The demo a first run loads: the shop definitions of config/demo/definitions.yaml and a few thousand generated
 * orders and profile snapshots of customers C1000..C1299 (seeded, so every first run looks alike), a few of them
 * deliberately bad so the quarantine has something to show, and some sent twice to show idempotent ingest.
 * Everything goes through the same ingest path as HTTP requests.
 */
final class Demo {
    public static final String DEFINITIONS = "/hearth-config/demo/definitions.yaml";
    static final int CUSTOMERS = 300;
    private static final String[] CHANNELS = {"web", "web", "app", "store"};
    private static final String[] TIERS = {"bronze", "bronze", "silver", "gold"};
    private static final long DAY = 86_400_000L;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private Demo() {
    }

    /** What the demo loaded. */
    public record Loaded(long version, long orders, long profiles, long rejected) {
    }

    private static String json(Map<String, Object> row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Definitions definitions() {
        try (InputStream in = Demo.class.getResourceAsStream(DEFINITIONS)) {
            if (in == null) {
                throw new IllegalStateException("demo definitions missing from the classpath: " + DEFINITIONS);
            }
            return DefinitionsParser.parse("config/demo/definitions.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Loaded load(RegistryStore registry, IngestPipeline ingest, long now) {
        long version = registry.apply(definitions()).version().version();
        Random rnd = new Random(20261125L);
        long base = now - now % 60_000;
        IngestPipeline.Batch orders = ingest.open("orders", "demo");
        int orderNo = 0;
        for (int c = 0; c < CUSTOMERS; c++) {
            String customer = "C" + (1000 + c);
            int n = 3 + rnd.nextInt(23);
            for (int k = 0; k < n; k++) {
                // Two customers used in the README have an order in the last day; others spread over 40 days.
                long age = (c == 1 || c == 2) && k == 0 ? 3_600_000L * (1 + c) : (long) (rnd.nextDouble() * 40 * DAY);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("customer_id", customer);
                row.put("order_id", "O" + (100_000 + orderNo++));
                row.put("amount", Math.round(Math.exp(3 + rnd.nextGaussian() * 0.8) * 100) / 100.0);
                row.put("channel", CHANNELS[rnd.nextInt(CHANNELS.length)]);
                row.put("event_ts", Timestamps.format(base - age));
                row.put("created_ts", Timestamps.format(base - age + rnd.nextInt(5_000)));
                if (rnd.nextInt(100) == 0) {
                    row.put("amount", -5.0);           // breaks contract.min
                } else if (rnd.nextInt(100) == 0) {
                    row.put("channel", "fax");         // breaks contract.allowed
                }
                orders.add(row, () -> json(row));
                if (orderNo % 40 == 0) {
                    orders.add(row, () -> json(row));    // a replay: stored once
                }
            }
        }
        orders.flush();
        IngestPipeline.Batch profiles = ingest.open("profiles", "demo");
        for (int c = 0; c < CUSTOMERS; c++) {
            int snapshots = 1 + rnd.nextInt(3);
            for (int k = 0; k < snapshots; k++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("customer_id", "C" + (1000 + c));
                row.put("tier", TIERS[Math.min(TIERS.length - 1, k + rnd.nextInt(2))]);
                row.put("tenure_days", 30 + rnd.nextInt(1500));
                row.put("updated_at", Timestamps.format(base - (long) ((snapshots - k) * 90 * DAY * rnd.nextDouble())
                    - DAY));
                profiles.add(row, () -> json(row));
            }
        }
        profiles.flush();
        return new Loaded(version, orders.accepted(), profiles.accepted(), orders.rejected() + profiles.rejected());
    }
}
