package io.hearth.catalog.lineage;

/**
 * A breaking change that reaches a registered model: {@code model} uses feature service {@code service}, which the
 * breaking {@code reason} of the change to {@code kind} {@code name} reaches.
 */
public record InUse(String model, String service, String kind, String name, String reason) {

    /** "feature_view customer_orders: ttl changed: ...". */
    public String change() {
        return kind + " " + name + ": " + reason;
    }
}
