package io.hearth.quality;

import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import java.util.List;

/** What the ingest pipeline asks of quality: a source's window monitor, and where judged windows go. */
public interface QualityGate {
    /** Judges nothing: for pipelines without quality (tests). */
    QualityGate NONE = new QualityGate() {
        public WindowMonitor monitor(Source source, Entity entity) {
            return null;
        }

        public void judged(Source source, List<QualityResult> results) {
        }

        public void accepted(Source source, long records) {
        }
    };

    /** The monitor of a source's column expectations, or null when it has none. */
    WindowMonitor monitor(Source source, Entity entity);

    /** The rolling profiles of a source's columns in this process, or null when none are kept (the default). */
    default Profiles profiles(Source source, Entity entity) {
        return null;
    }

    /**
     * Stores judged windows durably and acts on them: a {@code block} failure opens the source's circuit breaker
     * before this returns.
     */
    void judged(Source source, List<QualityResult> results);

    /** Records accepted into a source (durable), for {@code row_count}. */
    void accepted(Source source, long records);
}
