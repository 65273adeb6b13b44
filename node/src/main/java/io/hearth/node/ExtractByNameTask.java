package io.hearth.node;

import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.SpineException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * A training set for programs that speak only Ignite's thin protocols: run by name with
 * {@code ClientCompute.execute("io.hearth.node.ExtractByNameTask", json)}, where json is
 * {@code {"name": "...", "features": ["view:feature", ...] | "feature_service": "...", "spine_table": "SCHEMA.TABLE",
 * "timestamp_column": "event_ts", "replace": false}}. It reads the spine from the SQL table, builds
 * {@code TRAINING.<NAME>} like {@code POST /v1/training-sets}, and returns a JSON summary; read the rows with the
 * JDBC thin driver. See docs/examples/ThinClientExtract.java.
 */
public final class ExtractByNameTask extends ComputeTaskAdapter<String, String> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @IgniteInstanceResource
    private transient Ignite ignite;

    @Override
    public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, String arg) {
        ClusterNode target = subgrid.stream().filter(n -> !n.isClient()).findFirst().orElse(subgrid.get(0));
        return Map.of(new Job(arg), target);
    }

    @Override
    public String reduce(List<ComputeJobResult> results) {
        return results.get(0).getData();
    }

    private static final class Job extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;
        private final String arg;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(String arg) {
            this.arg = arg;
        }

        @Override
        public String execute() {
            JsonNode a;
            try {
                a = JSON.readTree(arg);
            } catch (IOException e) {
                throw new SpineException("$", "json.syntax", "the argument is not JSON: " + e.getMessage());
            }
            TrainingSets sets = new TrainingSets(ignite, new RegistryStore(ignite, Clock.systemUTC()));
            List<FeatureRef> refs = new ArrayList<>();
            if (a.hasNonNull("feature_service")) {
                var defs = sets.definitions();
                FeatureService s = defs.featureService(a.get("feature_service").asText()).orElseThrow(() ->
                    new SpineException("feature_service", "ref.feature_service", io.hearth.catalog.Definitions.unknown(
                        "feature service", a.get("feature_service").asText(), defs.serviceNames())));
                refs.addAll(s.features());
            } else {
                a.path("features").forEach(f -> refs.add(FeatureRef.parse(f.asText())));
                if (refs.contains(null)) {
                    throw new SpineException("features", "feature_ref.syntax", "features must be 'view:feature'");
                }
            }
            TrainingSets.Checked checked = sets.check(a.path("name").asText(null), refs);
            Spine spine = sets.spineFromTable(a.path("spine_table").asText(null), checked,
                a.path("timestamp_column").asText("event_ts"));
            TrainingSets.Outcome out = sets.buildTable(checked, spine, a.path("replace").asBoolean(false), null);
            ObjectNode o = JSON.createObjectNode();
            o.put("name", out.name());
            o.put("table", out.table());
            o.put("rows", out.rows());
            o.put("millis", out.millis());
            ObjectNode fs = o.putObject("features");
            for (TrainingSets.FeatureStats s : out.features()) {
                fs.putObject(s.column()).put("present", s.present()).put("null_value", s.nullValue())
                    .put("not_found", s.notFound()).put("outside_max_age", s.outsideMaxAge());
            }
            return o.toString();
        }
    }
}
