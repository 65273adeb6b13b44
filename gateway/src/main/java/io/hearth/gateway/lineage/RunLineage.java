package io.hearth.gateway.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.Source;
import io.hearth.catalog.lineage.BackfillRun;
import io.hearth.catalog.lineage.NodeId;
import io.hearth.catalog.lineage.TrainingRun;
import io.hearth.compute.time.Timestamps;
import io.hearth.node.store.LineageStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where runs go when they start and end: training-set runs are recorded in the cluster when they end (finished or
 * failed), back-fill runs when they start and when they end, and each start and end is an OpenLineage run event
 * (START, COMPLETE, FAIL; OpenLineage 1.x: job {@code hearth} / {@code training_set.NAME} or {@code backfill.SOURCE},
 * datasets named by their lineage ids in namespace {@value #NAMESPACE}). Recording a training run never fails its job:
 * a grid error is logged, and the run is missing from lineage.
 */
public final class RunLineage {
    private static final Logger LOG = LoggerFactory.getLogger(RunLineage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Namespace of Hearth's jobs and datasets. */
    public static final String NAMESPACE = "hearth";
    /** The producer of every event. */
    public static final String PRODUCER = "urn:hearth:gateway:0.1.0";
    static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    private static final String JOB_TYPE_URL = "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
    private static final String SCHEMA_FACET_URL = "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet";
    private static final String ERROR_URL = "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";
    private static final String STATS_URL = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
    private static final String HEARTH_FACET_URL = "urn:hearth:openlineage:run-facet:1";

    private final LineageStore store;
    private final OpenLineageEmitter emitter;

    public RunLineage(LineageStore store, OpenLineageEmitter emitter) {
        this.store = store;
        this.emitter = emitter;
    }

    public LineageStore store() {
        return store;
    }

    /** A training-set job has started: a START event. */
    public void trainingStarted(TrainingRun running, Definitions d) {
        emit(training(running, d, "START", running.startedAt()));
    }

    /** A training-set job has ended: recorded, and a COMPLETE or FAIL event. */
    public void trainingEnded(TrainingRun ended, Definitions d) {
        try {
            store.record(ended);
        } catch (RuntimeException e) {
            LOG.warn("Training run {} ({}) not recorded in lineage: {}", ended.runId(), ended.name(), e.toString());
        }
        emit(training(ended, d, ended.status(), ended.finishedAt()));
    }

    /** A back-fill has started: recorded, and a START event. */
    public void backfillStarted(BackfillRun run, Definitions d) {
        store.start(run);
        emit(backfill(run, d, "START", run.startedAt()));
    }

    /** Ends a back-fill as {@code end} says (it may refuse), and sends its COMPLETE or FAIL event. */
    public Optional<BackfillRun> backfillEnded(String runId, UnaryOperator<BackfillRun> end, Definitions d) {
        Optional<BackfillRun> ended = store.end(runId, end);
        ended.ifPresent(r -> emit(backfill(r, d, r.status(), r.finishedAt())));
        return ended;
    }

    private void emit(ObjectNode event) {
        if (emitter.enabled()) {
            emitter.emit(event.toString());
        }
    }

    /** The OpenLineage event of a training-set run: the views it read (with the features), the set it built. */
    static ObjectNode training(TrainingRun r, Definitions d, String eventType, long at) {
        ObjectNode e = event(eventType, at, r.runId(), "training_set." + r.name(), "TRAINING_SET");
        Map<String, List<String>> byView = new LinkedHashMap<>();
        for (String f : r.features()) {
            FeatureRef ref = FeatureRef.parse(f);
            if (ref != null) {
                byView.computeIfAbsent(ref.view(), k -> new java.util.ArrayList<>()).add(ref.feature());
            }
        }
        ArrayNode inputs = e.putArray("inputs");
        byView.forEach((view, features) -> {
            ObjectNode in = dataset(inputs, NodeId.view(view));
            ArrayNode fields = schema(in);
            for (String f : features) {
                fields.addObject().put("name", f);
            }
        });
        if (r.service() != null) {
            dataset(inputs, NodeId.service(r.service()));
        }
        ObjectNode out = dataset(e.putArray("outputs"), NodeId.trainingSet(r.name()));
        if (TrainingRun.COMPLETE.equals(eventType)) {
            out.putObject("outputFacets").set("outputStatistics", facet(STATS_URL).put("rowCount", r.rows()));
        }
        ObjectNode hearth = facet(HEARTH_FACET_URL).put("by", r.by()).put("rows", r.rows());
        if (r.spine() != null) {
            hearth.put("spine", r.spine());
        }
        if (r.service() != null) {
            hearth.put("feature_service", r.service());
        }
        if (r.output() != null) {
            hearth.put("output", r.output());
        }
        runFacets(e).set("hearth", hearth);
        if (TrainingRun.FAIL.equals(eventType)) {
            runFacets(e).set("errorMessage", facet(ERROR_URL).put("message", String.valueOf(r.error()))
                .put("programmingLanguage", "JAVA"));
        }
        return e;
    }

    /** The OpenLineage event of a back-fill: the files it read, the source it wrote (with its schema). */
    static ObjectNode backfill(BackfillRun r, Definitions d, String eventType, long at) {
        ObjectNode e = event(eventType, at, r.runId(), "backfill." + r.source(), "BACKFILL");
        ArrayNode inputs = e.putArray("inputs");
        for (BackfillRun.BackfillFile f : r.files()) {
            inputs.addObject().put("namespace", "file").put("name", f.name()).putObject("facets");
        }
        ObjectNode out = dataset(e.putArray("outputs"), NodeId.source(r.source()));
        Optional<Source> source = d.source(r.source());
        source.ifPresent(s -> {
            ArrayNode fields = schema(out);
            s.schema().forEach((c, t) -> fields.addObject().put("name", c).put("type", t.spelling()));
        });
        if (BackfillRun.COMPLETE.equals(eventType)) {
            out.putObject("outputFacets").set("outputStatistics", facet(STATS_URL).put("rowCount", r.stored()));
        }
        ObjectNode hearth = facet(HEARTH_FACET_URL).put("by", r.by());
        if (!BackfillRun.RUNNING.equals(r.status())) {
            hearth.put("stored", r.stored()).put("already_stored", r.alreadyStored()).put("rejected", r.rejected());
        }
        runFacets(e).set("hearth", hearth);
        if (BackfillRun.FAIL.equals(eventType)) {
            runFacets(e).set("errorMessage", facet(ERROR_URL).put("message", String.valueOf(r.error()))
                .put("programmingLanguage", "JAVA"));
        }
        return e;
    }

    private static ObjectNode event(String eventType, long at, String runId, String job, String jobType) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventType", eventType);
        e.put("eventTime", Timestamps.format(at));
        e.put("producer", PRODUCER);
        e.put("schemaURL", SCHEMA_URL);
        e.putObject("run").put("runId", runId).putObject("facets");
        ObjectNode j = e.putObject("job").put("namespace", NAMESPACE).put("name", job);
        j.putObject("facets").set("jobType", facet(JOB_TYPE_URL).put("processingType", "BATCH")
            .put("integration", "HEARTH").put("jobType", jobType));
        return e;
    }

    private static ObjectNode runFacets(ObjectNode e) {
        return (ObjectNode) e.get("run").get("facets");
    }

    private static ObjectNode dataset(ArrayNode list, String name) {
        ObjectNode d = list.addObject().put("namespace", NAMESPACE).put("name", name);
        d.putObject("facets");
        return d;
    }

    /** Adds a schema facet to a dataset and returns its (empty) list of fields. */
    private static ArrayNode schema(ObjectNode dataset) {
        ObjectNode s = facet(SCHEMA_FACET_URL);
        ((ObjectNode) dataset.get("facets")).set("schema", s);
        return s.putArray("fields");
    }

    private static ObjectNode facet(String schemaUrl) {
        return JSON.createObjectNode().put("_producer", PRODUCER).put("_schemaURL", schemaUrl);
    }
}
