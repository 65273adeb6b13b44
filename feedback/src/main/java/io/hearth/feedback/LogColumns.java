package io.hearth.feedback;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Source;
import io.hearth.node.serving.OnlineLookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The columns of a file made of a service's logs over a time range: its entity's join keys and its features, as the
 * registry versions that served those logs define them (newest first; a feature a newer version dropped is still a
 * column, after the newer ones). A column whose type differs between versions is written as text.
 */
public record LogColumns(List<String> joinKeys, List<ColumnType> keyTypes, List<FeatureRef> features,
                  List<ColumnType> featureTypes) {

    public static LogColumns of(FeatureLog log, Definitions current, String service, long from, long to) {
        List<Long> versions = new ArrayList<>(log.versions(service, from, to));
        List<Definitions> defs = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            log.definitions(versions.get(i)).ifPresent(defs::add);
        }
        if (defs.isEmpty()) {
            if (current.featureService(service).isEmpty()) {
                throw new HearthException(ErrorCode.INVALID_FIELD, "service", "ref.feature_service",
                    Definitions.unknown("feature service", service, current.serviceNames())
                        + ", and no logs of a service of that name are kept");
            }
            defs.add(current);
        }
        Map<String, ColumnType> keys = new LinkedHashMap<>();
        Map<FeatureRef, ColumnType> features = new LinkedHashMap<>();
        for (Definitions d : defs) {
            Optional<FeatureService> fs = d.featureService(service);
            if (fs.isEmpty() || fs.get().features().isEmpty()) {
                continue;
            }
            FeatureView first = d.featureView(fs.get().features().get(0).view()).orElseThrow();
            Entity entity = d.entity(first.entity()).orElseThrow();
            Source src = d.source(first.source()).orElseThrow();
            for (String k : entity.joinKeys()) {
                merge(keys, k, src.type(k));
            }
            for (FeatureRef r : fs.get().features()) {
                merge(features, r, OnlineLookup.outputType(d, r));
            }
        }
        return new LogColumns(List.copyOf(keys.keySet()), List.copyOf(keys.values()), List.copyOf(features.keySet()),
            List.copyOf(features.values()));
    }

    private static <K> void merge(Map<K, ColumnType> m, K k, ColumnType t) {
        ColumnType before = m.putIfAbsent(k, t);
        if (before != null && before != t) {
            m.put(k, ColumnType.STRING);
        }
    }

    /** A logged value as a column of {@code type} holds it: text in a text column, whole numbers as doubles in a double one. */
    static Object fit(Object v, ColumnType type) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case STRING -> v instanceof String ? v : v.toString();
            case FLOAT, DOUBLE -> v instanceof Number n ? (Object) n.doubleValue() : null;
            case INT, LONG, TIMESTAMP -> v instanceof Long || v instanceof Integer ? v : null;
            case BOOL -> v instanceof Boolean ? v : null;
        };
    }
}
