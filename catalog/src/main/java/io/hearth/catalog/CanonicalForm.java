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
        root.put("models", d.models().stream().map(CanonicalForm::model).toList());
        return root;
    }

    /** One object as the registry writes it. */
    public static Map<String, Object> entity(Entity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("join_keys", e.joinKeys());
        meta(m, e.meta());
        return m;
    }

    /** One object as the registry writes it. */
    public static Map<String, Object> source(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("entity", s.entity());
        m.put("timestamp_field", s.timestampField());
        put(m, "created_timestamp_field", s.createdTimestampField());
        put(m, "id_field", s.idField());
        Map<String, Object> schema = new LinkedHashMap<>();
        s.schema().forEach((k, v) -> {
            Meta cm = s.column(k);
            if (cm.isEmpty()) {
                schema.put(k, v.spelling());
            } else {
                Map<String, Object> column = new LinkedHashMap<>();
                column.put("type", v.spelling());
                meta(column, cm);
                schema.put(k, column);
            }
        });
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
        if (!s.expectations().isEmpty()) { // beside the contract: rules of the records, then of the data as a whole
            m.put("expectations", expectations(s.expectations()));
        }
        m.put("quarantine_threshold", s.quarantineThreshold());
        if (s.kafkaTopic() != null) {
            m.put("streams", Map.of("kafka", Map.of("topic", s.kafkaTopic())));
        }
        put(m, "description", s.description());
        if (s.retentionMillis() > 0) {
            m.put("retention", Durations.format(s.retentionMillis()));
        }
        meta(m, s.meta());
        return m;
    }

    /** A source's expectations as the definitions write them, defaults written out. */
    public static Map<String, Object> expectations(SourceExpectations x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", x.window().spelling());
        if (!x.columns().isEmpty()) {
            Map<String, Object> cols = new LinkedHashMap<>();
            x.columns().forEach((c, l) -> cols.put(c, l.stream().map(CanonicalForm::expectation).toList()));
            m.put("columns", cols);
        }
        if (x.rowCount() != null) {
            Map<String, Object> rc = new LinkedHashMap<>();
            put(rc, "min", x.rowCount().min());
            put(rc, "max", x.rowCount().max());
            rc.put("per", Durations.format(x.rowCount().perMillis()));
            rc.put("severity", x.rowCount().severity().spelling());
            m.put("row_count", rc);
        }
        return m;
    }

    /** One expectation as the definitions write it ({@code {expect: not_null, mostly: 0.99, severity: block}}). */
    public static Map<String, Object> expectation(Expectation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expect", e.expect());
        if (e instanceof Expectation.NotNull x) {
            m.put("mostly", x.mostly());
        } else if (e instanceof Expectation.Between x) {
            put(m, "min", x.min());
            put(m, "max", x.max());
            m.put("mostly", x.mostly());
        } else if (e instanceof Expectation.InSet x) {
            m.put("values", x.values());
            m.put("mostly", x.mostly());
        } else if (e instanceof Expectation.Unique x) {
            m.put("mostly", x.mostly());
        } else if (e instanceof Expectation.MeanBetween x) {
            put(m, "min", x.min());
            put(m, "max", x.max());
        } else if (e instanceof Expectation.StddevBetween x) {
            put(m, "min", x.min());
            put(m, "max", x.max());
        } else if (e instanceof Expectation.NullRate x) {
            m.put("k", x.k());
            m.put("windows", x.windows());
            put(m, "max", x.max());
        } else if (e instanceof Expectation.Drift x) {
            m.put("method", x.method().spelling());
            m.put("reference", x.reference());
            put(m, "warn", x.warn());
            put(m, "fail", x.fail());
        } else if (e instanceof Expectation.Freshness x) {
            m.put("max_lag", Durations.format(x.maxLagMillis()));
        }
        m.put("severity", e.severity().spelling());
        return m;
    }

    /** One object as the registry writes it. */
    public static Map<String, Object> view(FeatureView v) {
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
        if (!v.expectations().isEmpty()) {
            Map<String, Object> ex = new LinkedHashMap<>();
            v.expectations().forEach((f, l) -> ex.put(f, l.stream().map(CanonicalForm::expectation).toList()));
            m.put("expectations", ex);
        }
        // owner, tags, description: the order views had before every object took metadata
        put(m, "owner", v.owner());
        put(m, "tags", tags(v.meta().tags()));
        put(m, "description", v.description());
        meta(m, v.meta());
        return m;
    }

    /** One object as the registry writes it. */
    public static Map<String, Object> feature(Feature f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        put(m, "column", f.column());
        if (f.aggregation() != null) {
            m.put("aggregation", f.aggregation().spelling());
            m.put("window", Durations.format(f.windowMillis()));
        }
        meta(m, f.meta());
        return m;
    }

    /** One object as the registry writes it. */
    public static Map<String, Object> service(FeatureService s) {
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
        FeatureLogging l = s.logging();
        if (!l.equals(FeatureLogging.NONE)) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("sample_rate", l.sampleRate());
            lm.put("on_overload", l.onOverload().spelling());
            lm.put("retention", Durations.format(l.retentionMillis()));
            if (l.outcomesTopic() != null) {
                lm.put("outcomes", Map.of("kafka", Map.of("topic", l.outcomesTopic())));
            }
            m.put("logging", lm);
        }
        meta(m, s.meta());
        return m;
    }

    /** One model as the registry writes it (what {@code GET /v1/models} lists). */
    public static Map<String, Object> model(Model x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", x.name());
        m.put("version", x.version());
        m.put("feature_service", x.featureService());
        if (!x.trainingSets().isEmpty()) {
            m.put("training_sets", x.trainingSets());
        }
        meta(m, x.meta());
        return m;
    }

    /**
     * Writes the metadata keys that are set, after the object's own: description, owner, tags, deprecated (a key
     * already written keeps its place).
     */
    private static void meta(Map<String, Object> m, Meta meta) {
        put(m, "description", meta.description());
        put(m, "owner", meta.owner());
        put(m, "tags", tags(meta.tags()));
        Deprecation d = meta.deprecated();
        if (d != null) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("since", d.since().toString());
            dm.put("reason", d.reason());
            put(dm, "replacement", d.replacement());
            if (d.sunset() != null) {
                dm.put("sunset", d.sunset().toString());
            }
            m.put("deprecated", dm);
        }
    }

    /**
     * Tags as a mapping when every tag is a pair (the form feature views had before words were allowed, so stored
     * registries keep their form), else as a list of words and one-pair mappings; null when there are none.
     */
    private static Object tags(List<Tag> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        if (tags.stream().noneMatch(Tag::isWord)) {
            Map<String, Object> pairs = new LinkedHashMap<>();
            tags.forEach(t -> pairs.put(t.key(), t.value()));
            return pairs;
        }
        List<Object> out = new ArrayList<>();
        for (Tag t : tags) {
            out.add(t.isWord() ? t.key() : Map.of(t.key(), t.value()));
        }
        return out;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
