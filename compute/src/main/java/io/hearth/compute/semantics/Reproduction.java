package io.hearth.compute.semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a served vector is reproduced: the values a lookup logged against the values recomputed as of the same time,
 * value by value. Two values are the same when status, event time and value are equal, doubles bit for bit (the
 * lookup and the recomputation run the same {@link FeatureEvaluator}, so any difference is skew, not rounding).
 *
 * <p>Each difference gets the likeliest cause, read off the event times alone (what can be seen without the
 * events' ingestion times):
 * <ul>
 *   <li>{@link Cause#DEFINITION_CHANGED}: the recomputation used other definitions of the feature than the lookup;</li>
 *   <li>{@link Cause#LATE_EVENT}: the recomputed value comes from a newer event than the logged one (or the lookup found
 *       none), so an event at or before the served time arrived after the lookup: a late event or a back-fill;</li>
 *   <li>{@link Cause#EVENT_GONE}: the recomputed value comes from an older event, or none: the logged one was dropped
 *       (compaction beyond a source's retention);</li>
 *   <li>{@link Cause#VALUE_CHANGED}: the same event time, another value or status: an event with an equal time
 *       ingested later (ties go to the event ingested last), or a late event inside a window before its latest.</li>
 * </ul>
 */
public final class Reproduction {
    public enum Cause {
        DEFINITION_CHANGED, LATE_EVENT, EVENT_GONE, VALUE_CHANGED;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One value that differs: feature {@code feature} (request order) of entity {@code entity}. */
    public record Diff(int feature, int entity, FeatureValue logged, FeatureValue recomputed, Cause cause) {
    }

    private Reproduction() {
    }

    /** Whether two values are the same: status, event time and value (doubles bit for bit). */
    public static boolean same(FeatureValue a, FeatureValue b) {
        return a.status() == b.status() && a.eventTs() == b.eventTs() && Objects.equals(a.value(), b.value());
    }

    /**
     * Every difference between {@code logged[f][e]} and {@code recomputed[f][e]}, in feature then entity order.
     * {@code definitionChanged[f]} says whether feature f was recomputed from other definitions than it was served by.
     */
    public static List<Diff> compare(FeatureValue[][] logged, FeatureValue[][] recomputed, boolean[] definitionChanged) {
        if (logged.length != recomputed.length || definitionChanged.length != logged.length) {
            throw new IllegalArgumentException(logged.length + " logged features, " + recomputed.length
                + " recomputed, " + definitionChanged.length + " definition flags");
        }
        List<Diff> out = new ArrayList<>();
        for (int f = 0; f < logged.length; f++) {
            if (logged[f].length != recomputed[f].length) {
                throw new IllegalArgumentException("feature " + f + ": " + logged[f].length + " logged entities, "
                    + recomputed[f].length + " recomputed");
            }
            for (int e = 0; e < logged[f].length; e++) {
                FeatureValue a = logged[f][e];
                FeatureValue b = recomputed[f][e];
                if (!same(a, b)) {
                    out.add(new Diff(f, e, a, b, cause(a, b, definitionChanged[f])));
                }
            }
        }
        return out;
    }

    static Cause cause(FeatureValue logged, FeatureValue recomputed, boolean definitionChanged) {
        if (definitionChanged) {
            return Cause.DEFINITION_CHANGED;
        }
        if (recomputed.hasTime() && (!logged.hasTime() || recomputed.eventTs() > logged.eventTs())) {
            return Cause.LATE_EVENT;
        }
        if (logged.hasTime() && (!recomputed.hasTime() || recomputed.eventTs() < logged.eventTs())) {
            return Cause.EVENT_GONE;
        }
        return Cause.VALUE_CHANGED;
    }
}
