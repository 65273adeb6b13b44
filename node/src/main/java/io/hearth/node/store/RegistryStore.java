package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Plan;
import io.hearth.catalog.Source;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry: every applied version of the definitions, kept in their canonical JSON form in a replicated,
 * persistent cache. Applying definitions equal to the current ones is a no-op; anything else becomes the next
 * version. Reads of the current version are local (replicated cache) and parsed once per version.
 */
public final class RegistryStore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);
    private static final String CURRENT = "current";

    /** One stored version. */
    public record Version(long version, long appliedAtMillis, Definitions definitions, String canonicalJson) {
    }

    /** The outcome of an apply: the version now current, the plan that led to it, and whether it is new. */
    public record ApplyResult(Version version, Plan plan, boolean changed) {
    }

    /** Value stored per version. */
    static final class StoredVersion {
        long version;
        long appliedAt;
        String json;

        StoredVersion(long version, long appliedAt, String json) {
            this.version = version;
            this.appliedAt = appliedAt;
            this.json = json;
        }
    }

    private final Ignite ignite;
    private final Clock clock;
    private volatile Version cached;

    public RegistryStore(Ignite ignite, Clock clock) {
        this.ignite = ignite;
        this.clock = clock;
    }

    private IgniteCache<String, Object> cache() {
        return ignite.cache(CacheLayout.REGISTRY);
    }

    private static String key(long v) {
        return "v:" + v;
    }

    public Optional<Version> current() {
        Long v = (Long) cache().get(CURRENT);
        if (v == null) {
            return Optional.empty();
        }
        Version c = cached;
        if (c != null && c.version() == v) {
            return Optional.of(c);
        }
        Version loaded = load(v).orElseThrow(() -> new IllegalStateException("registry version " + v + " is missing"));
        cached = loaded;
        return Optional.of(loaded);
    }

    /** The current definitions, empty before the first apply. */
    public Definitions definitions() {
        return current().map(Version::definitions).orElse(Definitions.empty());
    }

    public Optional<Version> load(long version) {
        StoredVersion s = (StoredVersion) cache().get(key(version));
        if (s == null) {
            return Optional.empty();
        }
        Definitions d = DefinitionsParser.parse("registry v" + version, s.json);
        return Optional.of(new Version(s.version, s.appliedAt, d, s.json));
    }

    /** Every stored version, oldest first, without parsing them. */
    public List<long[]> history() {
        List<long[]> out = new ArrayList<>();
        Long v = (Long) cache().get(CURRENT);
        for (long i = 1; v != null && i <= v; i++) {
            StoredVersion s = (StoredVersion) cache().get(key(i));
            if (s != null) {
                out.add(new long[] {s.version, s.appliedAt});
            }
        }
        return out;
    }

    public Plan plan(Definitions next) {
        return Plan.between(definitions(), next);
    }

    /** Stores {@code next} as a new version unless it equals the current one; creates caches its sources need. */
    public ApplyResult apply(Definitions next) {
        String json = CanonicalForm.toJson(next);
        for (Source s : next.sources()) {
            CacheLayout.createSourceCaches(ignite, s.name()); // idempotent; cannot run inside a transaction
        }
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            IgniteCache<String, Object> c = cache();
            Long cur = (Long) c.get(CURRENT);
            Definitions before = Definitions.empty();
            if (cur != null) {
                StoredVersion s = (StoredVersion) c.get(key(cur));
                if (s.json.equals(json)) {
                    tx.commit();
                    Version same = new Version(cur, s.appliedAt, next, json);
                    return new ApplyResult(same, new Plan(List.of()), false);
                }
                before = DefinitionsParser.parse("registry v" + cur, s.json);
            }
            long v = cur == null ? 1 : cur + 1;
            long now = clock.millis();
            c.put(key(v), new StoredVersion(v, now, json));
            c.put(CURRENT, v);
            tx.commit();
            Plan plan = Plan.between(before, next);
            LOG.info("Registry version {} applied: {} added, {} changed, {} removed", v, plan.count(Plan.Action.ADD),
                plan.count(Plan.Action.CHANGE), plan.count(Plan.Action.REMOVE));
            Version nv = new Version(v, now, next, json);
            cached = nv;
            return new ApplyResult(nv, plan, true);
        }
    }
}
