package io.hearth.catalog;

/**
 * One feature of a view: either a plain column (latest value within the view's ttl) or a windowed
 * aggregate over {@code (t - window, t]}. {@code column} is null only for a column-less {@code count};
 * {@code aggregation} is null for plain features, and then {@code windowMillis} is 0.
 */
public record Feature(String name, String column, Aggregation aggregation, long windowMillis, Meta meta) {

    public Feature {
        meta = meta == null ? Meta.NONE : meta;
    }

    public boolean isWindowed() {
        return aggregation != null;
    }

    public String description() {
        return meta.description();
    }
}
