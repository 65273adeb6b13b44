package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current registry version as an in-memory snapshot, for readers on the request path (lookups) that must not
 * read the grid per request. A continuous query on the registry cache tells this snapshot that something changed;
 * a refresh thread then reads the current version through {@link RegistryStore#current()} (parsed once per version),
 * off the request path. A version check every {@code recheck} catches a notification that never came (a client node
 * reconnecting, a continuous query not yet registered because the registry cache did not exist at start).
 *
 * <p>Invariants: {@link #current()} never goes back to an older version; it answers at once with the version an
 * apply through the same {@link RegistryStore} stored (so a gateway sees its own applies when they answer); a version
 * applied elsewhere in the cluster is seen after the notification's latency (a few milliseconds, bounded by
 * {@code RegistrySnapshotIT}) and at worst after {@code recheck}. Before the first read succeeds it reads the grid
 * like {@link RegistryStore#current()}.
 */
public final class RegistrySnapshot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySnapshot.class);
    /** How often the version is checked when no notification came: the worst-case staleness. */
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(1);

    /** What the refresh thread last read: a version, or none before the first apply. */
    private record Read(RegistryStore.Version version) {
    }

    private final Ignite ignite;
    private final RegistryStore store;
    private final Duration recheck;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hearth-registry-snapshot");
        t.setDaemon(true);
        return t;
    });
    private volatile Read read; // null until the first read succeeded
    private QueryCursor<?> listening; // the continuous query; only the refresh thread touches it
    private boolean warned; // one warning per run of failed refreshes; refresh thread only

    public RegistrySnapshot(Ignite ignite, RegistryStore store, Duration recheck) {
        this.ignite = ignite;
        this.store = store;
        this.recheck = recheck;
    }

    /** Reads the current version (waiting for that first read at most a few seconds) and starts listening. */
    public RegistrySnapshot start() {
        try {
            refresher.submit(this::refresh).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the registry", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Registry snapshot not read at start (lookups read the registry until it is): {}", e.toString());
        }
        refresher.scheduleWithFixedDelay(this::refresh, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The current version: the newest of what the refresh thread read and what this store applied or read. */
    public Optional<RegistryStore.Version> current() {
        Read r = read;
        if (r == null) {
            return store.current();
        }
        RegistryStore.Version mine = r.version();
        RegistryStore.Version seen = store.lastSeen();
        if (seen != null && (mine == null || seen.version() > mine.version())) {
            return Optional.of(seen);
        }
        return Optional.ofNullable(mine);
    }

    /** Whether {@link #current()} answers from memory: the first read succeeded. */
    public boolean ready() {
        return read != null;
    }

    /** Runs on the refresh thread only. */
    private void refresh() {
        try {
            if (listening == null && ignite.cache(CacheLayout.REGISTRY) != null) {
                listening = listen();
            }
            RegistryStore.Version v = store.current().orElse(null);
            Read before = read;
            if (before == null || v != null && (before.version() == null || v.version() > before.version().version())) {
                read = new Read(v);
            }
            warned = false;
        } catch (IgniteException | CacheException | IllegalStateException e) {
            // inactive cluster, a client node reconnecting, shutdown: the last snapshot stays; the next check retries
            if (!warned) {
                LOG.warn("Registry snapshot not refreshed (keeps version {}; retried every {} ms): {}",
                    read == null || read.version() == null ? 0 : read.version().version(), recheck.toMillis(), e.toString());
                warned = true;
            }
        }
    }

    private QueryCursor<?> listen() {
        IgniteCache<String, Object> cache = ignite.cache(CacheLayout.REGISTRY);
        ContinuousQuery<String, Object> q = new ContinuousQuery<>();
        // The listener runs on an Ignite thread, where cache operations must not be made: hand off to the refresher.
        q.setLocalListener(events -> {
            try {
                refresher.execute(this::refresh);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // closing: nobody reads the snapshot any more
            }
        });
        return cache.query(q);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listening != null) {
            try {
                listening.close();
            } catch (IgniteException | CacheException | IllegalStateException e) {
                LOG.debug("Registry continuous query not closed cleanly (node stopping): {}", e.toString());
            }
            listening = null;
        }
    }
}
