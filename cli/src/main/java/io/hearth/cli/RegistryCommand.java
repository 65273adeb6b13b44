package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth registry}: what the registry holds, readably: a summary, its versions, or one object's definition. */
@Command(name = "registry", description = "Show the registry: every object of the current version (default), the "
    + "stored versions (--versions), or one object's definition as YAML (--object NAME).")
final class RegistryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--versions", description = "List the stored versions, newest first.")
    boolean versions;

    @Option(names = "--object", paramLabel = "NAME", description = "Show one object (entity, source, feature view, "
        + "feature service, model, or view:feature) as YAML.")
    String object;

    @Option(names = "--version", paramLabel = "N", description = "Read version N instead of the current one.")
    Long version;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        GatewayClient http = client.client();
        try {
            if (versions) {
                JsonNode v = http.send("GET", "/v1/registry/versions", null, null).get("versions");
                System.out.printf("%-8s %s%n", "VERSION", "APPLIED AT");
                for (int i = v.size() - 1; i >= 0; i--) {
                    System.out.printf("%-8d %s%n", v.get(i).get("version").asLong(), v.get(i).get("applied_at").asText());
                }
                return 0;
            }
            JsonNode r = http.send("GET", version == null ? "/v1/registry" : "/v1/registry/versions/" + version, null, null);
            JsonNode defs = r.get("definitions");
            if (object != null) {
                return showObject(defs, object);
            }
            System.out.println("Registry version " + r.get("version").asLong() + (r.hasNonNull("applied_at")
                ? ", applied " + r.get("applied_at").asText() : " (empty)") + (defs.hasNonNull("project")
                ? ", project " + defs.get("project").asText() : ""));
            section(defs, "entities", e -> "join keys " + e.path("join_keys"));
            section(defs, "sources", s -> "entity " + s.path("entity").asText() + ", " + s.path("schema").size()
                + " columns" + (s.hasNonNull("id_field") ? ", id " + s.get("id_field").asText() : "")
                + (s.path("streams").path("kafka").hasNonNull("topic") ? ", kafka " + s.at("/streams/kafka/topic").asText() : ""));
            section(defs, "feature_views", v -> "source " + v.path("source").asText() + (v.hasNonNull("ttl") ? ", ttl "
                + v.get("ttl").asText() : "") + ", features " + names(v.path("features")));
            section(defs, "feature_services", s -> serviceFeatures(s.path("features")));
            section(defs, "models", m -> "version " + m.path("version").asText() + ", service "
                + m.path("feature_service").asText() + (m.hasNonNull("owner") ? ", owner " + m.get("owner").asText() : ""));
            System.out.println("\nOne object in full: ./hearth registry --object NAME");
            return 0;
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth registry: " + e.detail());
            return 1;
        }
    }

    private static void section(JsonNode defs, String kind, java.util.function.Function<JsonNode, String> line) {
        JsonNode list = defs.path(kind);
        System.out.println("\n" + kind.replace('_', ' ') + " (" + list.size() + ")");
        for (JsonNode o : list) {
            System.out.printf("  %-28s %s%n", o.path("name").asText(), line.apply(o));
        }
    }

    private static String names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(f -> out.add(f.path("name").asText()));
        return String.join(", ", out);
    }

    /** A service's features as the canonical form groups them: {view: [feature, ...]} entries, or plain refs. */
    private static String serviceFeatures(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : list) {
            if (f.isObject()) {
                f.fields().forEachRemaining(e -> {
                    List<String> names = new ArrayList<>();
                    e.getValue().forEach(n -> names.add(n.asText()));
                    out.add(e.getKey() + ": " + String.join(", ", names));
                });
            } else {
                out.add(f.asText());
            }
        }
        return String.join("; ", out);
    }

    private static int showObject(JsonNode defs, String name) throws Exception {
        List<String> known = new ArrayList<>();
        for (String kind : List.of("entities", "sources", "feature_views", "feature_services", "models")) {
            for (JsonNode o : defs.path(kind)) {
                String n = o.path("name").asText();
                known.add(n);
                if (n.equals(name)) {
                    print(Map.of("entities", "entity", "sources", "source", "feature_views", "feature view",
                        "feature_services", "feature service", "models", "model").get(kind), o);
                    return 0;
                }
                if (kind.equals("feature_views")) {
                    for (JsonNode f : o.path("features")) {
                        String ref = n + ":" + f.path("name").asText();
                        known.add(ref);
                        if (ref.equals(name)) {
                            print("feature of view " + n, f);
                            return 0;
                        }
                    }
                }
            }
        }
        System.err.println("hearth registry: no object '" + name + "' in the registry" + Suggest.hint(name, known));
        return 1;
    }

    @SuppressWarnings("unchecked")
    private static void print(String kind, JsonNode o) throws Exception {
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setIndent(2);
        Map<String, Object> m = JSON.convertValue(o, Map.class);
        System.out.println("# " + kind);
        System.out.print(new Yaml(opts).dump(m));
    }
}
