package io.hearth.catalog;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one serialized form of {@link Definitions}: the definitions-file tree with defaults written out and
 * durations in their shortest spelling. It is what the registry stores, what {@code GET /v1/registry}
 * returns, what diffs compare, and it parses back with {@link DefinitionsParser} to equal definitions.
 */
public final class CanonicalForm {
    private static final ObjectMapper JSON = new ObjectMapper(new JsonFactoryBuilder()
        .characterEscapes(new YamlSafeEscapes()).build()).enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * JSON leaves DEL, the C1 controls (NEL among them), U+2028/U+2029 and U+FFFE/U+FFFF raw; YAML readers reject
     * or fold them as line breaks. Escaping them keeps the promise that this JSON parses back as YAML to equal
     * definitions.
     */
    private static final class YamlSafeEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        YamlSafeEscapes() {
            ascii[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9F) || ch == 0x2028 || ch == 0x2029 || ch == 0xFFFE || ch == 0xFFFF) {
                return new SerializedString(String.format("\\u%04X", ch));
            }
            return null;
        }
    }

    private CanonicalForm() {
    }

    public static String toJson(Definitions d) {
        try {
            return JSON.writeValueAsString(tree(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize definitions", e);
        }
    }

    public static Map<String, Object> tree(Definitions d) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (d.project() != null) {
            root.put("project", d.project());
        }
        root.put("entities", d.entities().stream().map(CanonicalForm::entity).toList());
        root.put("sources", d.sources().stream().map(CanonicalForm::source).toList());
        root.put("feature_views", d.featureViews().stream().map(CanonicalForm::view).toList());
        root.put("feature_services", d.featureServices().stream().map(CanonicalForm::service).toList());
        return root;
    }

    static Map<String, Object> entity(Entity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("join_keys", e.joinKeys());
        put(m, "description", e.description());
        return m;
    }

    static Map<String, Object> source(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("entity", s.entity());
        m.put("timestamp_field", s.timestampField());
        put(m, "created_timestamp_field", s.createdTimestampField());
        put(m, "id_field", s.idField());
        Map<String, Object> schema = new LinkedHashMap<>();
        s.schema().forEach((k, v) -> schema.put(k, v.spelling()));
        m.put("schema", schema);
        if (!s.contract().isEmpty()) {
            Map<String, Object> contract = new LinkedHashMap<>();
            s.contract().forEach((k, c) -> {
                Map<String, Object> r = new LinkedHashMap<>();
                if (c.required()) {
                    r.put("required", true);
                }
                put(r, "min", c.min());
                put(r, "max", c.max());
                put(r, "allowed", c.allowed());
                contract.put(k, r);
            });
            m.put("contract", contract);
        }
        m.put("quarantine_threshold", s.quarantineThreshold());
        if (s.kafkaTopic() != null) {
            m.put("streams", Map.of("kafka", Map.of("topic", s.kafkaTopic())));
        }
        put(m, "description", s.description());
        if (s.retentionMillis() > 0) {
            m.put("retention", Durations.format(s.retentionMillis()));
        }
        return m;
    }

    static Map<String, Object> view(FeatureView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("entity", v.entity());
        m.put("source", v.source());
        m.put("online", v.online());
        if (v.ttlMillis() > 0) {
            m.put("ttl", Durations.format(v.ttlMillis()));
        }
        if (v.hopMillis() > 0) {
            m.put("hop", Durations.format(v.hopMillis()));
        }
        List<Object> fs = new ArrayList<>();
        for (Feature f : v.features()) {
            fs.add(feature(f));
        }
        m.put("features", fs);
        put(m, "owner", v.owner());
        if (!v.tags().isEmpty()) {
            m.put("tags", v.tags());
        }
        put(m, "description", v.description());
        return m;
    }

    static Map<String, Object> feature(Feature f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        put(m, "column", f.column());
        if (f.aggregation() != null) {
            m.put("aggregation", f.aggregation().spelling());
            m.put("window", Durations.format(f.windowMillis()));
        }
        put(m, "description", f.description());
        return m;
    }

    static Map<String, Object> service(FeatureService s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        // One {view: [features]} item per run of refs to the same view, so the service's feature order survives.
        List<Object> fs = new ArrayList<>();
        String view = null;
        List<String> names = null;
        for (FeatureRef r : s.features()) {
            if (!r.view().equals(view)) {
                view = r.view();
                names = new ArrayList<>();
                fs.add(Map.of(view, names));
            }
            names.add(r.feature());
        }
        m.put("features", fs);
        put(m, "description", s.description());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
