package io.hearth.gateway.serving;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Deprecation;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.lineage.NodeId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The headers that tell a client it is served something deprecated (a feature, a feature of a deprecated view, or a
 * deprecated service): {@code Deprecation: @<epoch seconds>} (RFC 9745) of the earliest deprecation, {@code Sunset}
 * (RFC 8594) of the earliest sunset when one is set, and a {@code Link} to each replacement
 * ({@code <urn:hearth:feature:view:name>; rel="successor-version"}, the lineage id of the successor). Worked out once
 * per registry version and request shape (the service, or the list of features), never per value: lookups of
 * definitions with no deprecation at all pay one comparison.
 */
final class DeprecationHeaders {
    /** Header values; all null when nothing served is deprecated. */
    record Headers(String deprecation, String sunset, String link) {
        static final Headers NONE = new Headers(null, null, null);
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
        Locale.ENGLISH).withZone(ZoneOffset.UTC);
    /** Request shapes remembered per version; past this the memory starts over (clients asking arbitrary lists). */
    private static final int MAX_SHAPES = 4096;

    /** What one registry version deprecates, and the headers of the shapes asked so far. */
    private record Version(Definitions definitions, boolean any, Map<Object, Headers> shapes) {
    }

    private volatile Version version = new Version(Definitions.empty(), false, new ConcurrentHashMap<>());

    Headers of(Definitions defs, LookupRequest req) {
        Version v = version;
        if (v.definitions() != defs) {
            v = new Version(defs, deprecatesAnything(defs), new ConcurrentHashMap<>());
            version = v;
        }
        if (!v.any()) {
            return Headers.NONE;
        }
        Object shape = req.service() != null ? req.service() : req.features();
        Headers h = v.shapes().get(shape);
        if (h == null) {
            if (v.shapes().size() >= MAX_SHAPES) {
                v.shapes().clear();
            }
            h = compute(defs, req.service(), req.features());
            v.shapes().put(shape, h);
        }
        return h;
    }

    private static boolean deprecatesAnything(Definitions defs) {
        for (FeatureService s : defs.featureServices()) {
            if (s.meta().isDeprecated()) {
                return true;
            }
        }
        for (FeatureView v : defs.featureViews()) {
            if (v.meta().isDeprecated()) {
                return true;
            }
            for (Feature f : v.features()) {
                if (f.meta().isDeprecated()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One deprecated object served, and the lineage id of its successor (null when it names none). */
    private record Found(Deprecation deprecation, String successor) {
    }

    static Headers compute(Definitions defs, String service, List<FeatureRef> features) {
        List<Found> found = new ArrayList<>();
        if (service != null) {
            defs.featureService(service).ifPresent(s -> note(s.meta().deprecated(), NodeId.SERVICE, found));
        }
        Set<String> views = new LinkedHashSet<>();
        for (FeatureRef r : features) {
            FeatureView v = defs.featureView(r.view()).orElse(null);
            if (v == null) {
                continue;
            }
            if (views.add(v.name())) {
                note(v.meta().deprecated(), NodeId.VIEW, found);
            }
            v.feature(r.feature()).ifPresent(f -> note(f.meta().deprecated(), NodeId.FEATURE, found));
        }
        if (found.isEmpty()) {
            return Headers.NONE;
        }
        long since = found.stream().mapToLong(f -> f.deprecation().sinceEpochSecond()).min().orElseThrow();
        String sunset = found.stream().map(f -> f.deprecation().sunset()).filter(Objects::nonNull).min(Comparable::compareTo)
            .map(d -> HTTP_DATE.format(d.atStartOfDay(ZoneOffset.UTC))).orElse(null);
        List<String> links = found.stream().map(Found::successor).filter(Objects::nonNull).distinct()
            .map(id -> "<urn:hearth:" + id + ">; rel=\"successor-version\"").toList();
        return new Headers("@" + since, sunset, links.isEmpty() ? null : String.join(", ", links));
    }

    private static void note(Deprecation d, String kind, List<Found> found) {
        if (d != null) {
            found.add(new Found(d, d.replacement() == null ? null : NodeId.of(kind, d.replacement())));
        }
    }
}
