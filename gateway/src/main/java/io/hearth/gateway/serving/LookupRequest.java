package io.hearth.gateway.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked online lookup: which features (and the feature service they were asked by, or null), for which entities
 * (in request order), at which time. Built from
 * Feast's request shape: {@code features} (a list of {@code view:feature}) or {@code feature_service},
 * {@code entities} (join key to a list of values, all lists of one length), {@code full_feature_names},
 * and Hearth's optional {@code as_of} (ISO-8601 or epoch milliseconds) and {@code format} ({@code columns}, the
 * default, or {@code compact}: row per entity, one event time per view). Every problem names its field.
 */
record LookupRequest(List<FeatureRef> features, String service, List<String> joinKeys, List<List<Object>> keyValues,
                            List<String> entityKeys, boolean fullFeatureNames, Long asOf, boolean compact,
                            String model, String modelVersion, LookupPlan plan) {

    public static final int MAX_ENTITIES = 10_000;
    private static final Set<String> KEYS = Set.of("features", "feature_service", "entities", "full_feature_names", "as_of",
        "format", "model", "model_version");
    /** Longest model name or version a request may give. */
    static final int MAX_MODEL_LENGTH = 200;

    /** Parses and checks {@code body} against {@code defs}, resolving its features afresh. */
    public static LookupRequest parse(JsonNode body, Definitions defs, boolean fullNamesByDefault) {
        return parse(body, defs, new java.util.HashMap<>(), fullNamesByDefault);
    }

    /**
     * Parses and checks {@code body} against {@code defs}, taking the resolved features from {@code plans} (the plans
     * of {@code defs} by request shape, see {@link LookupPlan.Cache}) when this shape was resolved before, and adding
     * its plan when not. The checks and their order are the same either way: a shape is planned only once it passed.
     */
    static LookupRequest parse(JsonNode body, Definitions defs, Map<Object, LookupPlan> plans, boolean fullNamesByDefault) {
        Fields.object(body, KEYS);
        JsonNode features = body.get("features");
        JsonNode service = body.get("feature_service");
        if (features != null && !features.isNull() && service != null && !service.isNull()) {
            throw ApiException.invalid("feature_service", "exclusive", "give either features or feature_service, not both");
        }
        Object shape = shape(features, service);
        LookupPlan plan = shape == null ? null : plans.get(shape);
        if (plan == null) {
            plan = resolve(body, defs, features, service);
            if (shape != null) {
                plans.put(shape, plan);
            }
        }
        return parseEntities(body, defs, plan, fullNamesByDefault);
    }

    /** The plan key of a request: the feature service's name, or the list of feature texts; null for any other form. */
    private static Object shape(JsonNode features, JsonNode service) {
        if (service != null && !service.isNull()) {
            return service.isTextual() ? service.asText() : null;
        }
        if (features == null || !features.isArray() || features.isEmpty()) {
            return null;
        }
        String[] texts = new String[features.size()];
        for (int i = 0; i < texts.length; i++) {
            JsonNode f = features.get(i);
            if (!f.isTextual()) {
                return null;
            }
            texts[i] = f.asText();
        }
        return java.util.Arrays.asList(texts);
    }

    /** The features asked, checked against {@code defs}: every problem with them, in the order they are looked for. */
    private static LookupPlan resolve(JsonNode body, Definitions defs, JsonNode features, JsonNode service) {
        List<FeatureRef> refs = new ArrayList<>();
        String serviceName = null;
        if (service != null && !service.isNull()) {
            String name = Fields.text(body, "feature_service");
            FeatureService fs = defs.featureService(name).orElseThrow(() -> ApiException.invalid(
                "feature_service", "ref.feature_service", Definitions.unknown("feature service", name, defs.serviceNames())));
            refs.addAll(fs.features());
            serviceName = fs.name();
        } else if (features == null || !features.isArray() || features.isEmpty()) {
            throw ApiException.invalid("features", "required", "features must be a non-empty list of 'view:feature' "
                + "(or give feature_service)");
        } else {
            Set<FeatureRef> seen = new LinkedHashSet<>();
            for (int i = 0; i < features.size(); i++) {
                JsonNode f = features.get(i);
                String field = "features[" + i + "]";
                FeatureRef r = f.isTextual() ? FeatureRef.parse(f.asText()) : null;
                if (r == null) {
                    throw ApiException.invalid(field, "feature_ref.syntax", "expected 'view:feature', got " + f);
                }
                FeatureView v = defs.featureView(r.view()).orElseThrow(() -> ApiException.invalid(field,
                    "ref.feature_view", Definitions.unknown("feature", r.qualified(), defs.featureRefs())));
                if (v.feature(r.feature()).isEmpty()) {
                    throw ApiException.invalid(field, "ref.feature", Definitions.unknown("feature", r.qualified(),
                        defs.featureRefs()));
                }
                if (!seen.add(r)) {
                    throw ApiException.invalid(field, "duplicate", "feature '" + r.qualified() + "' is requested twice");
                }
            }
            refs.addAll(seen);
        }
        // Every view must be served online and describe one entity.
        Entity entity = null;
        for (FeatureRef r : refs) {
            FeatureView v = defs.featureView(r.view()).orElseThrow();
            if (!v.online()) {
                throw ApiException.invalid("features", "view.offline", "feature view '" + v.name()
                    + "' is not served online (online: false)");
            }
            Entity e = defs.entity(v.entity()).orElseThrow();
            if (entity != null && !entity.equals(e)) {
                throw ApiException.invalid("features", "entity.mixed", "features of entities '" + entity.name() + "' and '"
                    + e.name() + "' cannot be looked up in one request");
            }
            entity = e;
        }
        return LookupPlan.of(defs, refs, serviceName, entity);
    }

    private static LookupRequest parseEntities(JsonNode body, Definitions defs, LookupPlan plan, boolean fullNamesByDefault) {
        Entity entity = plan.entity;
        JsonNode entities = body.get("entities");
        if (entities == null || !entities.isObject() || entities.isEmpty()) {
            throw ApiException.invalid("entities", "required", "entities must map each join key of entity '"
                + entity.name() + "' (" + entity.joinKeys() + ") to a list of values");
        }
        for (Iterator<String> it = entities.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!entity.joinKeys().contains(k)) {
                throw ApiException.invalid("entities." + k, "ref.join_key", "'" + k + "' is not a join key of entity '"
                    + entity.name() + "' (join keys: " + entity.joinKeys() + ")");
            }
        }
        if (plan.keyTypes == null) { // a feature service without features: fails here as it always did
            defs.source(defs.featureView(plan.features.get(0).view()).orElseThrow().source()).orElseThrow();
        }
        int n = -1;
        List<List<Object>> columns = new ArrayList<>();
        for (int ki = 0; ki < entity.joinKeys().size(); ki++) {
            String k = entity.joinKeys().get(ki);
            JsonNode vals = entities.get(k);
            String field = "entities." + k;
            if (vals == null) {
                throw ApiException.invalid(field, "required", "join key '" + k + "' is missing from entities");
            }
            if (!vals.isArray() || vals.isEmpty()) {
                throw ApiException.invalid(field, "type.list", "'" + k + "' must be a non-empty list of values");
            }
            if (n >= 0 && vals.size() != n) {
                throw ApiException.invalid(field, "length.mismatch", "'" + k + "' has " + vals.size()
                    + " values, other join keys have " + n);
            }
            n = vals.size();
            if (n > MAX_ENTITIES) {
                throw ApiException.invalid(field, "max_entities", "at most " + MAX_ENTITIES + " entities per request, got " + n);
            }
            ColumnType type = plan.keyTypes[ki];
            List<Object> col = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                JsonNode v = vals.get(i);
                Object raw = v.isTextual() ? v.asText() : v.isNumber() ? v.numberValue()
                    : v.isBoolean() ? (Object) v.asBoolean() : null;
                if (raw == null) {
                    throw ApiException.invalid(field + "[" + i + "]", "schema.type", "expected a " + type.spelling()
                        + " key value, got " + v);
                }
                try {
                    col.add(RowValidator.coerce(type, raw));
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(field + "[" + i + "]", "schema.type", e.getMessage());
                }
            }
            columns.add(col);
        }
        List<String> keys = new ArrayList<>(n);
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 0; i < n; i++) {
            row.clear();
            for (List<Object> c : columns) {
                row.add(c.get(i));
            }
            keys.add(EntityKeys.of(row));
        }
        boolean fullNames = Fields.bool(body, "full_feature_names", fullNamesByDefault);
        Long asOf = Fields.timestamp(body, "as_of");
        boolean compact = false;
        String fmt = Fields.text(body, "format");
        if (fmt != null) {
            if (!(fmt.equals("compact") || fmt.equals("columns"))) {
                throw ApiException.invalid("format", "enum", "format must be \"columns\" (the default) or \"compact\", got \""
                    + Fields.shorten(fmt) + "\"");
            }
            compact = fmt.equals("compact");
        }
        String model = modelText(Fields.text(body, "model"), "model");
        String modelVersion = modelText(Fields.text(body, "model_version"), "model_version");
        if (modelVersion != null && model == null) {
            throw ApiException.invalid("model_version", "model.required", "model_version names a version of a model: "
                + "give model too");
        }
        return new LookupRequest(plan.features, plan.service, entity.joinKeys(), columns, keys, fullNames, asOf, compact,
            model, modelVersion, plan);
    }

    /** A model name or version as a request gives it: 1 to 200 characters, no control characters; null when absent. */
    static String modelText(String v, String field) {
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > MAX_MODEL_LENGTH || v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid(field, "model.syntax", field + " must be 1 to " + MAX_MODEL_LENGTH
                + " characters without control characters, got " + (v.isEmpty() ? "an empty string"
                : "'" + Fields.shorten(v) + "' (" + v.length() + " characters)"));
        }
        return v;
    }

    /**
     * This request with the model named by headers ({@code X-Model}, {@code X-Model-Version}) where the body named none;
     * a header that contradicts the body is refused.
     */
    LookupRequest withModelHeaders(String headerModel, String headerVersion) {
        String m = modelText(headerModel, "X-Model");
        String v = modelText(headerVersion, "X-Model-Version");
        if (m != null && model != null && !m.equals(model)) {
            throw ApiException.invalid("model", "model.conflict", "the body names model '" + Fields.shorten(model)
                + "' and X-Model '" + Fields.shorten(m) + "': name one");
        }
        if (v != null && modelVersion != null && !v.equals(modelVersion)) {
            throw ApiException.invalid("model_version", "model.conflict", "the body names model_version '"
                + Fields.shorten(modelVersion) + "' and X-Model-Version '" + Fields.shorten(v) + "': name one");
        }
        String model2 = model != null ? model : m;
        String version2 = modelVersion != null ? modelVersion : v;
        if (version2 != null && model2 == null) {
            throw ApiException.invalid("X-Model-Version", "model.required", "X-Model-Version names a version of a model: "
                + "give X-Model (or model) too");
        }
        if (m == null && v == null) {
            return this;
        }
        return new LookupRequest(features, service, joinKeys, keyValues, entityKeys, fullFeatureNames, asOf, compact,
            model2, version2, plan);
    }

    /** Features grouped by view, in request order. */
    public Map<String, List<FeatureRef>> byView() {
        Map<String, List<FeatureRef>> m = new LinkedHashMap<>();
        for (FeatureRef r : features) {
            m.computeIfAbsent(r.view(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    public int size() {
        return entityKeys.size();
    }
}
