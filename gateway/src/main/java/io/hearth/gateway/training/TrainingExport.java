package io.hearth.gateway.training;

import io.hearth.compute.training.Spine;
import io.hearth.formats.TrainingFiles;
import io.hearth.node.training.TrainingSets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** Writes a training set to a CSV or Parquet file, rows in spine order: from a join in memory, or from its table. */
public final class TrainingExport {
    public enum Format { CSV, PARQUET }

    private TrainingExport() {
    }

    /** A set collected in memory (no table): the spine's columns, then the feature values. */
    public static void write(Spine spine, TrainingSets.Values c, String name, Format format, Path file)
        throws IOException {
        TrainingFiles.write(spine, c.columns(), c.types(), c.featureValues(), files(format), file);
    }

    /**
     * A set kept as the table {@code TRAINING.<NAME>}. {@code spineText} (may be null) is the spine as uploaded,
     * header first, so that a CSV passes its cells through byte for byte.
     */
    public static void write(TrainingSets sets, TrainingSets.Outcome t, Format format, Path file,
                             Iterator<String[]> spineText) throws IOException {
        TrainingFiles.write(t.columns(), t.types(), sets.tableRows(t), files(format), file, spineText);
    }

    private static TrainingFiles.Format files(Format f) {
        return f == Format.CSV ? TrainingFiles.Format.CSV : TrainingFiles.Format.PARQUET;
    }
}
