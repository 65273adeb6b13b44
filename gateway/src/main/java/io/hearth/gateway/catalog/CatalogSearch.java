package io.hearth.gateway.catalog;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.lineage.LineageGraph;
import io.hearth.node.store.LineageStore;
import io.hearth.node.store.RegistryStore;
import io.hearth.search.Catalog;
import io.hearth.search.CatalogIndex;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's view of the catalog: the search index and lineage graph of what the registry and the recorded runs
 * hold now. Every use first reads the registry's version and the runs' sequence number from the cluster (two local
 * reads on a server node, two round trips on a client), and rebuilds when either moved, so a search or lineage read
 * that starts after an apply or a run returned, on any gateway, sees it. One rebuild at a time; readers of the old
 * snapshot finish on it (it is closed when the last one lets go).
 */
public final class CatalogSearch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogSearch.class);

    /** One built catalog: what it was built from, its index and, made on first use, its lineage graph. */
    private static final class Built {
        final long version;
        final long sequence;
        final CatalogIndex index;
        private volatile LineageGraph graph;

        Built(long version, long sequence, CatalogIndex index) {
            this.version = version;
            this.sequence = sequence;
            this.index = index;
        }

        LineageGraph graph() {
            LineageGraph g = graph;
            if (g == null) {
                Catalog c = index.catalog();
                g = LineageGraph.of(c.definitions(), c.runs());
                graph = g;
            }
            return g;
        }
    }

    /** A snapshot in use: close it when done. */
    public static final class Snapshot implements AutoCloseable {
        private final Built built;

        private Snapshot(Built built) {
            this.built = built;
        }

        public CatalogIndex index() {
            return built.index;
        }

        public Catalog catalog() {
            return built.index.catalog();
        }

        public Definitions definitions() {
            return built.index.catalog().definitions();
        }

        /** The registry version it shows (0: nothing applied yet). */
        public long registryVersion() {
            return built.version;
        }

        /** The graph of the definitions and the recorded runs. */
        public LineageGraph graph() {
            return built.graph();
        }

        @Override
        public void close() {
            built.index.release();
        }
    }

    private final RegistryStore registry;
    private final LineageStore lineage;
    private final Timer builds;
    private final Object lock = new Object();
    private volatile Built current;

    public CatalogSearch(RegistryStore registry, LineageStore lineage, MeterRegistry meters) {
        this.registry = registry;
        this.lineage = lineage;
        this.builds = Timer.builder("hearth.catalog.index.build").description("Catalog index builds (at start and after "
            + "every registry change or run)").register(meters);
        Gauge.builder("hearth.catalog.index.objects", this, s -> {
            Built b = s.current;
            return b == null ? 0 : b.index.size();
        }).description("Objects in this gateway's catalog index").register(meters);
    }

    /** The catalog as the cluster holds it now; close the snapshot when done with it. */
    public Snapshot snapshot() {
        long version = registry.current().map(RegistryStore.Version::version).orElse(0L);
        long sequence = lineage.sequence();
        for (;;) {
            Built b = current;
            if (b == null || b.version < version || b.sequence < sequence) {
                b = rebuild(version, sequence);
            }
            if (b.index.acquire()) {
                return new Snapshot(b);
            }
        }
    }

    private Built rebuild(long version, long sequence) {
        synchronized (lock) {
            Built b = current;
            if (b != null && b.version >= version && b.sequence >= sequence) {
                return b; // another reader rebuilt it meanwhile
            }
            long t0 = System.nanoTime();
            LineageStore.Snapshot runs = lineage.snapshot(); // its sequence is read before the runs
            var reg = registry.current();
            Definitions d = reg.map(RegistryStore.Version::definitions).orElse(Definitions.empty());
            long v = reg.map(RegistryStore.Version::version).orElse(0L);
            Built fresh = new Built(v, runs.sequence(), CatalogIndex.build(Catalog.of(d, runs.runs())));
            long took = System.nanoTime() - t0;
            builds.record(took, TimeUnit.NANOSECONDS);
            LOG.info("Catalog index built: registry version {}, lineage sequence {}, {} objects in {} ms", v,
                runs.sequence(), fresh.index.size(), took / 1_000_000);
            Built old = current;
            current = fresh;
            if (old != null) {
                old.index.release(); // the owner's reference; readers still on it close it
            }
            return fresh;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            Built old = current;
            current = null;
            if (old != null) {
                old.index.release();
            }
        }
    }
}
