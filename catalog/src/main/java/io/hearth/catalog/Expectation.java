package io.hearth.catalog;

import java.util.List;
import java.util.Locale;

/**
 * One expectation over a window of a column's (or a feature's) values, as the definitions write it
 * ({@code {expect: not_null, mostly: 0.99, severity: block}}). What each one computes is in docs/semantics.md
 * (Data quality); {@code io.hearth.quality} evaluates them. Every kind carries its {@link Severity}: {@code warn}
 * records and alerts, {@code block} also opens the source's circuit breaker.
 */
public sealed interface Expectation {

    /** What a failed expectation does. */
    enum Severity {
        WARN, BLOCK;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Severity parse(String s) {
            return s == null ? null : switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "warn" -> WARN;
                case "block" -> BLOCK;
                default -> null;
            };
        }
    }

    /** How a drift expectation compares a window with its reference. */
    enum Method {
        PSI, KS;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method parse(String s) {
            return s == null ? null : switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "psi" -> PSI;
                case "ks" -> KS;
                default -> null;
            };
        }
    }

    /** Every kind's spelling, as {@code expect:} takes it. */
    List<String> KINDS = List.of("not_null", "between", "in_set", "unique", "mean_between", "stddev_between", "null_rate",
        "drift", "freshness");

    /** The kind as the definitions spell it ({@code not_null}, {@code drift}, ...). */
    String expect();

    Severity severity();

    /** Whether it judges each value (and so counts unexpected values and takes {@code mostly}). */
    default boolean perValue() {
        return false;
    }

    /** Values must not be null: {@code mostly} is the least share of values that must be non-null. */
    record NotNull(double mostly, Severity severity) implements Expectation {
        public String expect() {
            return "not_null";
        }

        public boolean perValue() {
            return true;
        }
    }

    /** Non-null values within {@code [min, max]} (either bound may be absent). */
    record Between(Double min, Double max, double mostly, Severity severity) implements Expectation {
        public String expect() {
            return "between";
        }

        public boolean perValue() {
            return true;
        }
    }

    /** Non-null values among {@code values} (compared as text, or as numbers in a numeric column). */
    record InSet(List<String> values, double mostly, Severity severity) implements Expectation {
        public InSet {
            values = List.copyOf(values);
        }

        public String expect() {
            return "in_set";
        }

        public boolean perValue() {
            return true;
        }
    }

    /** Non-null values that occur once in the window. */
    record Unique(double mostly, Severity severity) implements Expectation {
        public String expect() {
            return "unique";
        }

        public boolean perValue() {
            return true;
        }
    }

    /** The mean of the window's non-null values within {@code [min, max]}. */
    record MeanBetween(Double min, Double max, Severity severity) implements Expectation {
        public String expect() {
            return "mean_between";
        }
    }

    /** The sample standard deviation of the window's non-null values within {@code [min, max]}. */
    record StddevBetween(Double min, Double max, Severity severity) implements Expectation {
        public String expect() {
            return "stddev_between";
        }
    }

    /**
     * The window's null rate within the band of its own history: mean ± k·σ of the null rates of the last
     * {@code windows} windows; {@code max}, when given, is also a fixed ceiling.
     */
    record NullRate(double k, int windows, Double max, Severity severity) implements Expectation {
        public String expect() {
            return "null_rate";
        }
    }

    /** The distance of the window's distribution from a stored reference, by PSI or KS, under {@code warn}/{@code fail}. */
    record Drift(Method method, String reference, Double warn, Double fail, Severity severity) implements Expectation {
        public String expect() {
            return "drift";
        }
    }

    /** The newest timestamp of the window at most {@code maxLagMillis} before the window closed. */
    record Freshness(long maxLagMillis, Severity severity) implements Expectation {
        public String expect() {
            return "freshness";
        }
    }
}
