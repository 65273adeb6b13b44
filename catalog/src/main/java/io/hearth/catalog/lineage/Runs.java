package io.hearth.catalog.lineage;

import java.util.Comparator;
import java.util.List;

/**
 * What lineage learns at run time beside the definitions: the recorded training-set runs and back-fill runs, each
 * list newest first. {@link LineageGraph#of(io.hearth.catalog.Definitions, Runs)} turns them into nodes and edges.
 */
public record Runs(List<TrainingRun> training, List<BackfillRun> backfills) {
    public static final Runs NONE = new Runs(List.of(), List.of());

    public Runs {
        training = training.stream().sorted(Comparator.comparingLong(TrainingRun::startedAt).reversed()
            .thenComparing(TrainingRun::runId)).toList();
        backfills = backfills.stream().sorted(Comparator.comparingLong(BackfillRun::startedAt).reversed()
            .thenComparing(BackfillRun::runId)).toList();
    }

    /** The runs that built training set {@code name}, newest first (failed ones too). */
    public List<TrainingRun> trainingRuns(String name) {
        return training.stream().filter(r -> r.name().equals(name)).toList();
    }

    /** The back-fills into {@code source}, newest first. */
    public List<BackfillRun> backfillsOf(String source) {
        return backfills.stream().filter(r -> r.source().equals(source)).toList();
    }
}
