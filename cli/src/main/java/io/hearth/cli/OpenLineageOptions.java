package io.hearth.cli;

import io.hearth.gateway.lineage.OpenLineageEmitter;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a gateway sends OpenLineage run events, shared by {@code up} and {@code gateway}. */
final class OpenLineageOptions {
    @Option(names = "--openlineage-url", paramLabel = "URL", description = "POST an OpenLineage event for every "
        + "training-set run and back-fill (START, COMPLETE, FAIL) to this URL, e.g. http://localhost:5000/api/v1/lineage "
        + "(Marquez); best effort, never delaying a request; failures are counted in /metrics.")
    URI url;

    @Option(names = "--openlineage-file", paramLabel = "FILE", description = "Append the same OpenLineage events to "
        + "this file, one JSON object per line.")
    Path file;

    /** The emitter's settings; {@link OpenLineageEmitter.Settings#NONE} without either option. */
    OpenLineageEmitter.Settings settings() {
        return url == null && file == null ? OpenLineageEmitter.Settings.NONE
            : new OpenLineageEmitter.Settings(url, file, OpenLineageEmitter.Settings.NONE.queue());
    }
}
