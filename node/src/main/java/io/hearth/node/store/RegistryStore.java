package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Plan;
import io.hearth.catalog.Source;
import io.hearth.catalog.lineage.BreakingInUseException;
import io.hearth.catalog.lineage.BreakingSchemaException;
import io.hearth.catalog.lineage.Impact;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
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
 * version, unless the apply is not forced and it breaks a source's schema or contract ({@link BreakingSchemaException})
 * or a breaking change reaches a feature service a registered model uses ({@link BreakingInUseException}). Reads of
 * the current version read the replicated cache's current version number (a client node asks a server), so a
 * version is in force everywhere once {@link #apply} returns (FULL_SYNC: the commit reached every server first); the
 * definitions themselves are parsed once per version.
 */
public final class RegistryStore {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryStore.class);
    private static final String CURRENT = "current";

    /** One stored version. */
    public record Version(long version, long appliedAtMillis, Definitions definitions, String canonicalJson) {
    }

    /** The outcome of an apply: the version now current, the plan (and its impact) that led to it, whether it is new. */
    public record ApplyResult(Version version, Impact impact, boolean changed) {
        public Plan plan() {
            return impact.plan();
        }
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

    /** The newest version this store read or applied, without reading the grid; null before any. */
    Version lastSeen() {
        return cached;
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

    /** The plan from the current definitions to {@code next}, with what lies downstream and what is in use. */
    public Impact impact(Definitions next) {
        return Impact.of(definitions(), next);
    }

    /** Applies {@code next} unforced: a breaking change that reaches a registered model is refused. */
    public ApplyResult apply(Definitions next) {
        return apply(next, false);
    }

    /**
     * Stores {@code next} as a new version unless it equals the current one; creates caches its sources need.
     * Unless {@code force}, refuses a change that breaks a source's schema or contract ({@link BreakingSchemaException})
     * and a breaking change reaching a feature service that a model of the current definitions uses
     * ({@link BreakingInUseException}).
     */
    public ApplyResult apply(Definitions next, boolean force) {
        for (Source s : next.sources()) {
            CacheLayout.createSourceCaches(ignite, s.name()); // idempotent; cannot run inside a transaction
        }
        return store(before -> next, force);
    }

    /**
     * Applies what {@code change} makes of the current definitions, read in the same transaction that stores the
     * result, so a concurrent apply cannot be lost (a model registered over HTTP). The change may add no source:
     * event caches cannot be created inside the transaction.
     */
    public ApplyResult update(UnaryOperator<Definitions> change, boolean force) {
        return store(before -> {
            Definitions next = change.apply(before);
            for (Source s : next.sources()) {
                if (before.source(s.name()).isEmpty()) {
                    throw new IllegalArgumentException("an update cannot add source '" + s.name() + "'; apply it instead");
                }
            }
            return next;
        }, force);
    }

    private ApplyResult store(UnaryOperator<Definitions> change, boolean force) {
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            IgniteCache<String, Object> c = cache();
            Long cur = (Long) c.get(CURRENT);
            Definitions before = Definitions.empty();
            StoredVersion stored = null;
            if (cur != null) {
                stored = (StoredVersion) c.get(key(cur));
                before = DefinitionsParser.parse("registry v" + cur, stored.json);
            }
            Definitions next = change.apply(before);
            String json = CanonicalForm.toJson(next);
            // Compared in today's canonical form: a version stored by an older Hearth (before models, say) may be
            // written differently and still hold the same definitions.
            if (stored != null && (stored.json.equals(json) || CanonicalForm.toJson(before).equals(json))) {
                tx.commit();
                Version same = new Version(cur, stored.appliedAt, before, stored.json);
                return new ApplyResult(same, Impact.none(), false);
            }
            Impact impact = Impact.of(before, next);
            List<BreakingSchemaException.Breaking> schemaBreaks = BreakingSchemaException.of(impact.plan());
            if (!force && !schemaBreaks.isEmpty()) {
                throw new BreakingSchemaException(schemaBreaks, impact.inUse()); // the transaction rolls back unwritten
            }
            if (!force && !impact.inUse().isEmpty()) {
                throw new BreakingInUseException(impact.inUse());
            }
            long v = cur == null ? 1 : cur + 1;
            long now = clock.millis();
            c.put(key(v), new StoredVersion(v, now, json));
            c.put(CURRENT, v);
            tx.commit();
            Plan plan = impact.plan();
            LOG.info("Registry version {} applied{}{}: {} added, {} changed, {} removed", v,
                force && !impact.inUse().isEmpty() ? " (forced past breaking changes in use)" : "",
                force && !schemaBreaks.isEmpty() ? " (forced past " + schemaBreaks.size() + " schema breaks)" : "",
                plan.count(Plan.Action.ADD), plan.count(Plan.Action.CHANGE), plan.count(Plan.Action.REMOVE));
            Version nv = new Version(v, now, next, json);
            cached = nv;
            return new ApplyResult(nv, impact, true);
        }
    }
}
