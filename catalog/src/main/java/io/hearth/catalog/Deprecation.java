package io.hearth.catalog;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * That an object should no longer be used: since when, why, optionally what replaces it (an object of the same kind,
 * written as definitions name it: a feature as {@code view:feature}, a column by its name in the same source) and
 * the date after which it may be removed ({@code sunset}, may be null).
 */
public record Deprecation(LocalDate since, String reason, String replacement, LocalDate sunset) {

    public Deprecation {
        if (since == null || reason == null) {
            throw new IllegalArgumentException("a deprecation needs a date and a reason");
        }
    }

    /** Seconds since the epoch at the start (UTC) of {@code since}: what an RFC 9745 Deprecation header carries. */
    public long sinceEpochSecond() {
        return since.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }
}
