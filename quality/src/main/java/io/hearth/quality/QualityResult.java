package io.hearth.quality;

import io.hearth.catalog.Expectation;

/**
 * One expectation judged over one window: what {@code GET /v1/quality/results} lists and the SQL table
 * {@code HEARTH.QUALITY} holds. {@code column} is set for a source column's expectation, {@code feature} (as
 * {@code view:feature}) for a feature's; {@code observed} is the share of values that passed for per-value checks, the
 * mean, the standard deviation, the null rate, the PSI or KS value, the lag in seconds or the record count (NaN when
 * there was nothing to judge). {@code severity} is the severity the failure carries ({@code warn} for a drift past its
 * warn but not its fail threshold); {@code detail} says what was judged, in words; {@code origin} the gateway or the
 * training job that judged it.
 */
public record QualityResult(String source, String column, String feature, String expect, long windowStart,
                            long windowEnd, long elementCount, long unexpectedCount, double observed, boolean success,
                            Expectation.Severity severity, String detail, String origin) {

    /** Whether this result must open its source's circuit breaker. */
    public boolean blocks() {
        return !success && severity == Expectation.Severity.BLOCK;
    }

    /** What was judged: {@code column amount} or {@code feature account_spend:spend_7d}. */
    public String subject() {
        return column != null ? "column " + column : feature != null ? "feature " + feature : "the source";
    }
}
