package io.hearth.feedback;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Source;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Reproduction;
import io.hearth.node.serving.OnlineLookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reproduces served vectors: recomputes a logged lookup's features as of the time its values held at (its
 * {@code as_of}, else its served time) with the definitions of the registry version that served it, by the same
 * {@link OnlineLookup} a lookup runs, and compares value by value ({@link Reproduction}). Since an as-of read sees
 * exactly the events at or before its time, a difference is skew: an event at or before the served time that
 * arrived later (a late event, a back-fill), an event dropped since, or (when asked to recompute with other
 * definitions) a definition change. Every differing value counts in {@code hearth_reproduce_mismatch_total}.
 */
public final class Reproducer {
    /** The outcome of one reproduction: the log, the registry version and time recomputed at, and the differences. */
    public record Reproduced(LogRecord log, long registryVersion, long at, List<Reproduction.Diff> diffs) {
        public boolean match() {
            return diffs.isEmpty();
        }
    }

    /** Per feature of a sample: entity values compared, how many matched, and the causes of the others. */
    public record FeatureSkew(FeatureRef feature, long compared, long matched, Map<Reproduction.Cause, Long> causes) {
        public double matchRate() {
            return compared == 0 ? 1.0 : (double) matched / compared;
        }
    }

    /** A sample of a service's logs reproduced: requests sampled and matched, per feature, and up to 100 that did not. */
    public record Skew(String service, long from, long to, int sampled, int matchedRequests, List<FeatureSkew> features,
                       List<String> mismatchedRequests) {
        public double matchRate() {
            return sampled == 0 ? 1.0 : (double) matchedRequests / sampled;
        }
    }

    private final FeatureLog log;
    private final OnlineLookup lookup;
    private final MeterRegistry meters;
    private final Map<String, Counter> mismatches = new ConcurrentHashMap<>();
    private final Counter reproduced;

    public Reproducer(FeatureLog log, OnlineLookup lookup, MeterRegistry meters) {
        this.log = log;
        this.lookup = lookup;
        this.meters = meters;
        this.reproduced = Counter.builder("hearth.reproduce.requests").description("Logged lookups reproduced")
            .register(meters);
    }

    /**
     * The reproduction of a logged request: with the definitions that served it, or of {@code version} when given
     * (to see what a definition change does to served values). Empty when the request was not logged.
     */
    public Optional<Reproduced> reproduce(String requestId, OptionalLong version) {
        return log.get(requestId).map(l -> reproduce(l, version));
    }

    Reproduced reproduce(LogRecord l, OptionalLong version) {
        long v = version.orElse(l.registryVersion());
        Definitions defs = log.definitions(v).orElseThrow(() -> new HearthException(ErrorCode.NOT_FOUND,
            "registry_version", "ref.registry_version", "registry version " + v + " is not stored"));
        Optional<Definitions> served = log.definitions(l.registryVersion());
        List<FeatureRef> refs = l.features();
        boolean[] changed = new boolean[refs.size()];
        List<FeatureRef> computable = new ArrayList<>();
        for (int f = 0; f < refs.size(); f++) {
            FeatureRef r = refs.get(f);
            boolean exists = defs.featureView(r.view()).flatMap(x -> x.feature(r.feature())).isPresent();
            changed[f] = !exists || served.isEmpty() || !sameDefinition(served.get(), defs, r);
            if (exists) {
                computable.add(r);
            }
        }
        long t = l.valuesAt();
        FeatureValue[][] got = computable.isEmpty() ? new FeatureValue[0][]
            : lookup.lookup(defs, computable, l.entityKeys(), t);
        FeatureValue[][] recomputed = new FeatureValue[refs.size()][];
        for (int f = 0, k = 0; f < refs.size(); f++) {
            if (k < computable.size() && computable.get(k).equals(refs.get(f))) {
                recomputed[f] = got[k++];
            } else {
                recomputed[f] = new FeatureValue[l.entityCount()];
                java.util.Arrays.fill(recomputed[f], FeatureValue.NOT_FOUND);
            }
        }
        List<Reproduction.Diff> diffs = Reproduction.compare(l.values(), recomputed, changed);
        reproduced.increment();
        for (Reproduction.Diff d : diffs) {
            FeatureRef r = refs.get(d.feature());
            mismatches.computeIfAbsent(l.service() + '\u0000' + r.qualified(), k -> Counter.builder("hearth.reproduce.mismatch")
                .description("Logged values that a reproduction recomputed differently (skew)")
                .tag("service", l.service()).tag("feature", r.columnName()).register(meters)).increment();
        }
        return new Reproduced(l, v, t, diffs);
    }

    /**
     * Whether feature {@code r} computes the same in both definitions: the same column, aggregation and window, the
     * same view ttl, hop and source, the same source time fields and column type. Metadata does not count.
     */
    static boolean sameDefinition(Definitions a, Definitions b, FeatureRef r) {
        if (a == b) {
            return true;
        }
        Optional<FeatureView> va = a.featureView(r.view());
        Optional<FeatureView> vb = b.featureView(r.view());
        if (va.isEmpty() || vb.isEmpty()) {
            return false;
        }
        Optional<Feature> fa = va.get().feature(r.feature());
        Optional<Feature> fb = vb.get().feature(r.feature());
        if (fa.isEmpty() || fb.isEmpty()) {
            return false;
        }
        Feature x = fa.get();
        Feature y = fb.get();
        if (!Objects.equals(x.column(), y.column()) || x.aggregation() != y.aggregation()
            || x.windowMillis() != y.windowMillis() || va.get().ttlMillis() != vb.get().ttlMillis()
            || va.get().hopMillis() != vb.get().hopMillis() || !va.get().source().equals(vb.get().source())) {
            return false;
        }
        Optional<Source> sa = a.source(va.get().source());
        Optional<Source> sb = b.source(vb.get().source());
        return sa.isPresent() && sb.isPresent()
            && sa.get().timestampField().equals(sb.get().timestampField())
            && Objects.equals(sa.get().createdTimestampField(), sb.get().createdTimestampField())
            && (x.column() == null || Objects.equals(sa.get().type(x.column()), sb.get().type(x.column())));
    }

    /**
     * Reproduces up to {@code sample} logs of {@code service} served from {@code from} to {@code to} (a uniform
     * sample: the lowest sample keys), each with the definitions that served it, and reports the match rate per
     * feature.
     */
    public Skew skew(String service, long from, long to, int sample) {
        Map<FeatureRef, long[]> perFeature = new LinkedHashMap<>();
        Map<FeatureRef, Map<Reproduction.Cause, Long>> causes = new LinkedHashMap<>();
        List<LogRecord> logs = log.sample(service, from, to, sample);
        int matched = 0;
        List<String> mismatched = new ArrayList<>();
        for (LogRecord l : logs) {
            Reproduced r = reproduce(l, OptionalLong.empty());
            if (r.match()) {
                matched++;
            } else if (mismatched.size() < 100) {
                mismatched.add(l.requestId());
            }
            for (FeatureRef f : l.features()) {
                perFeature.computeIfAbsent(f, k -> new long[2])[0] += l.entityCount();
                causes.computeIfAbsent(f, k -> new java.util.EnumMap<>(Reproduction.Cause.class));
            }
            for (FeatureRef f : l.features()) {
                perFeature.get(f)[1] += l.entityCount();
            }
            for (Reproduction.Diff d : r.diffs()) {
                FeatureRef f = l.features().get(d.feature());
                perFeature.get(f)[1]--;
                causes.get(f).merge(d.cause(), 1L, Long::sum);
            }
        }
        List<FeatureSkew> features = new ArrayList<>();
        perFeature.forEach((f, c) -> features.add(new FeatureSkew(f, c[0], c[1], causes.get(f))));
        return new Skew(service, from, to, logs.size(), matched, features, mismatched);
    }
}
