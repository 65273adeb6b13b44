package io.hearth.catalog.lineage;

/**
 * The relations of edges built from the definitions, each read in the direction data flows ({@code from} feeds
 * {@code to}). Facts added later name their own relations the same way (a training set {@code built_from} a
 * service, say).
 */
public final class Relation {
    /** topic → source: the source's events arrive on the topic. */
    public static final String FEEDS = "feeds";
    /** source → column. */
    public static final String HAS_COLUMN = "has_column";
    /** column → feature: the feature is computed from the column ({@code aggregation}, {@code window} attributes). */
    public static final String COMPUTES = "computes";
    /** source → feature view. */
    public static final String READ_BY = "read_by";
    /** feature view → feature. */
    public static final String DEFINES = "defines";
    /** feature → feature service. */
    public static final String SERVED_BY = "served_by";
    /** feature service → model. */
    public static final String USED_BY = "used_by";
    /** training set → model: the model was trained on it. */
    public static final String TRAINS = "trains";
    /** entity → source or feature view: what their rows are keyed by. */
    public static final String DESCRIBES = "describes";
    /**
     * feature service (or feature, when a run named features) → training set: a recorded run built the set from it
     * ({@code rows}, {@code at}, {@code by} of the latest such run).
     */
    public static final String BUILT_INTO = "built_into";
    /** file → source: a recorded back-fill run ingested the file into the source ({@code rows}, {@code at}, {@code status}). */
    public static final String BACKFILLS = "backfills";

    private Relation() {
    }
}
