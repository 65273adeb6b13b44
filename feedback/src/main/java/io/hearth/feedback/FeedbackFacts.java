package io.hearth.feedback;

import io.hearth.catalog.lineage.Edge;
import io.hearth.catalog.lineage.Node;
import io.hearth.catalog.lineage.NodeId;
import io.hearth.node.CacheLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the feedback loop learns at run time about who uses what, for lineage: the models named in lookups, per
 * (service, model, model version), and the outcome labels, per (label, service whose logged request they matched),
 * each with when it was first and last seen and how often. This is the read API the catalog's lineage calls:
 * {@link #models()}, {@link #labels()}, and {@link #lineageNodes()} / {@link #lineageEdges()} to pass to
 * {@code LineageGraph#with}.
 *
 * <p>Sightings are counted in this process's memory (one map update per lookup that names a model) and merged into
 * the replicated cache {@value CacheLayout#FEEDBACK_FACTS} every few seconds in a transaction, so several gateways
 * add up. What was counted since the last merge is lost if the process dies.
 */
public final class FeedbackFacts {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackFacts.class);
    /** A lineage node kind of the feedback loop: an outcome label ({@code label:churned}). */
    public static final String LABEL_KIND = "label";
    /** service → model: lookups of the service named the model (attributes: first_seen, last_seen, lookups, version). */
    public static final String SERVED_TO = "served_to";
    /** label → service: outcomes of the label matched logged lookups of the service (first_seen, last_seen, outcomes). */
    public static final String LABELS = "labels";
    private static final char SEP = '\u0000';

    /** A model named in lookups of a service ({@code modelVersion} empty when the lookups gave none). */
    public record ModelSeen(String service, String model, String modelVersion, long firstSeen, long lastSeen,
                            long lookups) {
    }

    /** An outcome label, and the service whose logged lookups its outcomes matched (empty: none matched yet). */
    public record LabelSeen(String label, Optional<String> service, long firstSeen, long lastSeen, long outcomes) {
    }

    private final Ignite ignite;
    /** Sightings since the last merge: key → {first, last, count}. */
    private final Map<String, long[]> pending = new ConcurrentHashMap<>();

    public FeedbackFacts(Ignite ignite) {
        this.ignite = ignite;
    }

    private IgniteCache<String, long[]> cache() {
        return ignite.cache(CacheLayout.FEEDBACK_FACTS);
    }

    /** A lookup of {@code service} named {@code model} (and {@code version}, may be empty) at {@code at}. */
    public void model(String service, String model, String version, long at) {
        note("m" + SEP + service + SEP + model + SEP + version, at, 1);
    }

    /** An outcome of {@code label} arrived at {@code at}, matching a lookup of {@code service} (null: unmatched). */
    public void label(String label, String service, long at) {
        note("l" + SEP + label + SEP + (service == null ? "" : service), at, 1);
    }

    private void note(String key, long at, long n) {
        pending.compute(key, (k, v) -> {
            if (v == null) {
                return new long[] {at, at, n};
            }
            v[0] = Math.min(v[0], at);
            v[1] = Math.max(v[1], at);
            v[2] += n;
            return v;
        });
    }

    /** Merges what was counted since the last call into the cluster's facts. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, long[]> taken = new HashMap<>();
        for (String k : new ArrayList<>(pending.keySet())) {
            long[] v = pending.remove(k);
            if (v != null) {
                taken.put(k, v);
            }
        }
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            IgniteCache<String, long[]> c = cache();
            Map<String, long[]> stored = c.getAll(new java.util.TreeSet<>(taken.keySet())); // sorted: no lock cycles
            Map<String, long[]> merged = new HashMap<>();
            taken.forEach((k, v) -> {
                long[] s = stored.get(k);
                merged.put(k, s == null ? v : new long[] {Math.min(s[0], v[0]), Math.max(s[1], v[1]), s[2] + v[2]});
            });
            c.putAll(merged);
            tx.commit();
        } catch (RuntimeException e) {
            taken.forEach((k, v) -> {
                note(k, v[0], 0);
                note(k, v[1], v[2]);
            });
            LOG.warn("Lineage facts of the feedback loop could not be stored ({}); trying again later", e.toString());
        }
    }

    /** Every model named in lookups, per service and version, most recently seen first. */
    public List<ModelSeen> models() {
        List<ModelSeen> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : entries("m")) {
            String[] p = e.getKey().split(String.valueOf(SEP), -1);
            long[] v = e.getValue();
            out.add(new ModelSeen(p[1], p[2], p[3], v[0], v[1], v[2]));
        }
        out.sort(Comparator.comparingLong(ModelSeen::lastSeen).reversed().thenComparing(ModelSeen::service)
            .thenComparing(ModelSeen::model).thenComparing(ModelSeen::modelVersion));
        return out;
    }

    /** The models named in lookups of one service. */
    public List<ModelSeen> modelsOf(String service) {
        return models().stream().filter(m -> m.service().equals(service)).toList();
    }

    /** Every outcome label, per service it matched, most recently seen first. */
    public List<LabelSeen> labels() {
        List<LabelSeen> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : entries("l")) {
            String[] p = e.getKey().split(String.valueOf(SEP), -1);
            long[] v = e.getValue();
            out.add(new LabelSeen(p[1], p[2].isEmpty() ? Optional.empty() : Optional.of(p[2]), v[0], v[1], v[2]));
        }
        out.sort(Comparator.comparingLong(LabelSeen::lastSeen).reversed().thenComparing(LabelSeen::label));
        return out;
    }

    /** The nodes these facts add to a lineage graph: each model seen (it may not be registered) and each label. */
    public List<Node> lineageNodes() {
        List<Node> out = new ArrayList<>();
        models().forEach(m -> out.add(Node.of(NodeId.MODEL, m.model())));
        labels().forEach(l -> out.add(Node.of(LABEL_KIND, l.label())));
        return out;
    }

    /**
     * The edges these facts add: {@code service:S --served_to--> model:M} per model version seen (attributes
     * {@code version}, {@code first_seen}, {@code last_seen}, {@code lookups}), and {@code label:L --labels--> service:S}
     * per label whose outcomes matched logs of S ({@code first_seen}, {@code last_seen}, {@code outcomes}).
     * {@code LineageGraph#with} keeps one edge per (from, to, relation): the most recently seen version's.
     */
    public List<Edge> lineageEdges() {
        List<Edge> out = new ArrayList<>();
        for (ModelSeen m : models()) {
            Map<String, Object> a = new java.util.LinkedHashMap<>();
            if (!m.modelVersion().isEmpty()) {
                a.put("version", m.modelVersion());
            }
            a.put("first_seen", io.hearth.compute.time.Timestamps.format(m.firstSeen()));
            a.put("last_seen", io.hearth.compute.time.Timestamps.format(m.lastSeen()));
            a.put("lookups", m.lookups());
            out.add(new Edge(NodeId.service(m.service()), NodeId.model(m.model()), SERVED_TO, a));
        }
        for (LabelSeen l : labels()) {
            if (l.service().isPresent()) {
                out.add(new Edge(NodeId.of(LABEL_KIND, l.label()), NodeId.service(l.service().get()), LABELS, Map.<String, Object>of(
                    "first_seen", io.hearth.compute.time.Timestamps.format(l.firstSeen()),
                    "last_seen", io.hearth.compute.time.Timestamps.format(l.lastSeen()),
                    "outcomes", l.outcomes())));
            }
        }
        return out;
    }

    private List<Map.Entry<String, long[]>> entries(String kind) {
        List<Map.Entry<String, long[]>> out = new ArrayList<>();
        // A few entries in a replicated cache: scanned whole and filtered here (a filter would have to be deployed on
        // the server nodes).
        try (var cursor = cache().query(new ScanQuery<String, long[]>())) {
            for (Cache.Entry<String, long[]> e : cursor) {
                if (e.getKey().startsWith(kind + SEP)) {
                    out.add(Map.entry(e.getKey(), e.getValue()));
                }
            }
        }
        return out;
    }
}
