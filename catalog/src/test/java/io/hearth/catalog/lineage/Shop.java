package io.hearth.catalog.lineage;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;

/** A small shop's definitions, with a model, for the lineage tests. */
final class Shop {
    static final String YAML = """
        entities:
          - name: customer
            join_keys: [customer_id]
        sources:
          - name: orders
            entity: customer
            timestamp_field: event_ts
            schema: {customer_id: string, amount: double, channel: string, event_ts: timestamp}
            streams: {kafka: {topic: shop.orders}}
          - name: profiles
            entity: customer
            timestamp_field: updated_at
            schema: {customer_id: string, tier: string, updated_at: timestamp}
        feature_views:
          - name: customer_orders
            entity: customer
            source: orders
            ttl: 30d
            features:
              - {name: last_amount, column: amount}
              - {name: spend_7d, aggregation: sum, column: amount, window: 7d}
              - {name: orders_30d, aggregation: count, window: 30d}
              - {name: last_channel, column: channel}
          - name: customer_profile
            entity: customer
            source: profiles
            features:
              - {name: tier, column: tier}
        feature_services:
          - name: churn_model_v1
            features: ["customer_orders:spend_7d", "customer_profile:tier"]
          - name: marketing
            features: ["customer_orders:last_channel"]
        models:
          - name: churn_v1
            version: 1
            feature_service: churn_model_v1
            training_sets: [churn_2026q1]
        """;

    private Shop() {
    }

    static Definitions definitions() {
        return DefinitionsParser.parse("shop.yaml", YAML);
    }

    static Definitions withoutModels() {
        return DefinitionsParser.parse("shop.yaml", YAML.substring(0, YAML.indexOf("models:")));
    }

    static Definitions edited(String from, String to) {
        if (!YAML.contains(from)) {
            throw new IllegalArgumentException("not in the shop: " + from);
        }
        return DefinitionsParser.parse("shop.yaml", YAML.replace(from, to));
    }
}
