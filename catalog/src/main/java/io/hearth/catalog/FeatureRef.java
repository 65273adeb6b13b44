package io.hearth.catalog;

/** A feature named by its view: written {@code view:feature} in requests, {@code view__feature} in outputs. */
public record FeatureRef(String view, String feature) {

    /** Parses {@code view:feature}; returns null when the text is not of that shape. */
    public static FeatureRef parse(String text) {
        if (text == null) {
            return null;
        }
        int i = text.indexOf(':');
        if (i <= 0 || i == text.length() - 1 || text.indexOf(':', i + 1) >= 0) {
            return null;
        }
        return new FeatureRef(text.substring(0, i), text.substring(i + 1));
    }

    public String qualified() {
        return view + ":" + feature;
    }

    /** The column name in training sets and in full-feature-name responses. */
    public String columnName() {
        return view + "__" + feature;
    }

    // Written out: the generated ones go through method handles that a lookup profile showed as ~18% of its time
    // (every request hashes its features several times).
    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRef r && r.view.equals(view) && r.feature.equals(feature);
    }

    @Override
    public int hashCode() {
        return view.hashCode() * 31 + feature.hashCode();
    }
}
