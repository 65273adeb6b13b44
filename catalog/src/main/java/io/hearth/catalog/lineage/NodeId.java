package io.hearth.catalog.lineage;

/**
 * How lineage names its nodes: {@code kind:name}. A column is named with its source ({@code column:orders.amount}),
 * a feature with its view ({@code feature:customer_orders:spend_7d}). The kinds the definitions give are below;
 * facts learned at run time add others of the same shape ({@code training_set:churn_2026q1},
 * {@code file:orders_2025.parquet}).
 */
public final class NodeId {
    public static final String TOPIC = "topic";
    public static final String SOURCE = "source";
    public static final String COLUMN = "column";
    public static final String ENTITY = "entity";
    public static final String VIEW = "view";
    public static final String FEATURE = "feature";
    public static final String SERVICE = "service";
    public static final String MODEL = "model";
    public static final String TRAINING_SET = "training_set";
    public static final String FILE = "file";

    private NodeId() {
    }

    public static String of(String kind, String name) {
        return kind + ":" + name;
    }

    public static String topic(String topic) {
        return of(TOPIC, topic);
    }

    public static String source(String source) {
        return of(SOURCE, source);
    }

    public static String column(String source, String column) {
        return of(COLUMN, source + "." + column);
    }

    public static String entity(String entity) {
        return of(ENTITY, entity);
    }

    public static String view(String view) {
        return of(VIEW, view);
    }

    public static String feature(String view, String feature) {
        return of(FEATURE, view + ":" + feature);
    }

    public static String service(String service) {
        return of(SERVICE, service);
    }

    public static String model(String model) {
        return of(MODEL, model);
    }

    public static String trainingSet(String name) {
        return of(TRAINING_SET, name);
    }

    /** The kind of an id: what comes before its first colon. */
    public static String kind(String id) {
        int i = id.indexOf(':');
        if (i <= 0) {
            throw new IllegalArgumentException("a lineage node id is kind:name, got '" + id + "'");
        }
        return id.substring(0, i);
    }

    /** The name of an id: what comes after its first colon ({@code customer_orders:spend_7d} for a feature). */
    public static String name(String id) {
        kind(id);
        return id.substring(id.indexOf(':') + 1);
    }
}
