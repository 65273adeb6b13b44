package io.hearth.compute.training;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.semantics.Windows;
import java.util.ArrayList;
import java.util.List;

/**
 * A requested feature with its view, its source and the type of its values: one output column, named
 * {@code column} ({@code view__feature}, computed once: it is used for every row).
 */
public record ResolvedFeature(FeatureRef ref, FeatureView view, Feature feature, Source source, ColumnType outputType,
                              String column) {

    /**
     * Resolves references against definitions, in order. Throws {@link IllegalArgumentException} naming the first
     * unknown view or feature.
     */
    public static List<ResolvedFeature> resolve(Definitions defs, List<FeatureRef> refs) {
        List<ResolvedFeature> out = new ArrayList<>();
        for (FeatureRef r : refs) {
            FeatureView v = defs.featureView(r.view()).orElseThrow(() ->
                new IllegalArgumentException(Definitions.unknown("feature", r.qualified(), defs.featureRefs())));
            Feature f = v.feature(r.feature()).orElseThrow(() ->
                new IllegalArgumentException(Definitions.unknown("feature", r.qualified(), defs.featureRefs())));
            Source s = defs.source(v.source()).orElseThrow();
            ColumnType col = f.column() == null ? ColumnType.LONG : s.type(f.column());
            out.add(new ResolvedFeature(r, v, f, s, f.isWindowed() ? Windows.resultType(f.aggregation(), col) : col,
                r.columnName()));
        }
        return out;
    }
}
