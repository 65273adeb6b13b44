package io.hearth.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source's expectations: the window they are judged over, per column the expectations (in the order written),
 * and an optional {@link RowCount} (a source that goes silent). {@link #NONE} when the source declares none.
 */
public record SourceExpectations(Window window, Map<String, List<Expectation>> columns, RowCount rowCount) {
    /** Records a window holds when the definitions do not say. */
    public static final long DEFAULT_WINDOW_RECORDS = 1000;
    public static final SourceExpectations NONE = new SourceExpectations(Window.records(DEFAULT_WINDOW_RECORDS), Map.of(),
        null);

    public SourceExpectations {
        Map<String, List<Expectation>> m = new LinkedHashMap<>();
        columns.forEach((c, l) -> m.put(c, List.copyOf(l)));
        columns = java.util.Collections.unmodifiableMap(m);
    }

    public boolean isEmpty() {
        return columns.isEmpty() && rowCount == null;
    }

    /** A window of a number of records, or of a span of time; exactly one of the two is positive. */
    public record Window(long records, long millis) {
        public Window {
            if ((records > 0) == (millis > 0)) {
                throw new IllegalArgumentException("a window is a number of records or a duration");
            }
        }

        public static Window records(long n) {
            return new Window(n, 0);
        }

        public static Window duration(long millis) {
            return new Window(0, millis);
        }

        public boolean byRecords() {
            return records > 0;
        }

        /** As the definitions write it: {@code 1000} or {@code 5m}. */
        public Object spelling() {
            return byRecords() ? (Object) records : Durations.format(millis);
        }
    }

    /** At least {@code min} (and at most {@code max}, when given) records accepted per period of {@code perMillis}. */
    public record RowCount(Long min, Long max, long perMillis, Expectation.Severity severity) {
    }
}
