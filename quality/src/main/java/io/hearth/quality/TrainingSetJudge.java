package io.hearth.quality;

import io.hearth.catalog.Expectation;
import io.hearth.catalog.Meta;
import io.hearth.catalog.Source;
import io.hearth.catalog.SourceExpectations;
import io.hearth.compute.training.ResolvedFeature;
import io.hearth.compute.training.ValueColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A training set's features judged by their views' expectations (docs/semantics.md, "Data quality"): the whole set is
 * one window, and every expectation of a feature gives one result, with {@code feature} set ({@code view:feature}),
 * {@code source} its view's source and {@code origin} the training set. The same judging as a source's windows
 * ({@link WindowMonitor}), over the feature's column instead of a source's.
 */
public final class TrainingSetJudge {
    private TrainingSetJudge() {
    }

    /**
     * @param features the set's features, in the order of {@code values}
     * @param values per feature, its value of every row
     */
    public static List<QualityResult> judge(String trainingSet, List<ResolvedFeature> features, ValueColumn[] values,
                                            Function<String, Reference> references, long now) {
        List<QualityResult> out = new ArrayList<>();
        String origin = "training_set:" + trainingSet;
        for (int f = 0; f < features.size(); f++) {
            ResolvedFeature rf = features.get(f);
            List<Expectation> list = rf.view().expectations().get(rf.feature().name());
            ValueColumn vc = values[f];
            if (list == null || list.isEmpty() || vc.size() == 0) {
                continue;
            }
            String col = rf.column();
            // The feature's column as the only column of a source, judged in one window of every row.
            Source one = new Source(rf.view().source(), rf.view().entity(), "\u0000no_time", null, null,
                Map.of(col, rf.outputType()), Map.of(), 1.0, null, 0, Map.of(), Meta.NONE,
                new SourceExpectations(SourceExpectations.Window.records(vc.size()), Map.of(col, list), null));
            WindowMonitor m = new WindowMonitor(one, List.of(col), List.of(), references, origin);
            Object[] row = new Object[1];
            List<QualityResult> rs = null;
            for (int i = 0; i < vc.size(); i++) {
                row[0] = vc.get(i);
                List<QualityResult> r = m.observe(row, 0, Long.MIN_VALUE, Map.of(), now);
                if (r != null) {
                    rs = r;
                }
            }
            if (rs != null) {
                for (QualityResult r : rs) {
                    out.add(new QualityResult(r.source(), null, rf.ref().qualified(), r.expect(), r.windowStart(),
                        r.windowEnd(), r.elementCount(), r.unexpectedCount(), r.observed(), r.success(), r.severity(),
                        r.detail().replace(col, rf.ref().qualified()), origin));
                }
            }
        }
        return out;
    }
}
