package io.hearth.catalog;

import java.util.List;

/**
 * Rules one column of a source must satisfy; rows that break them go to quarantine.
 * Null members mean "no such rule".
 */
public record ColumnContract(boolean required, Double min, Double max, List<String> allowed) {
    public ColumnContract {
        allowed = allowed == null ? null : List.copyOf(allowed);
    }
}
