package io.hearth.node.fold;

import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.LogKey;
import io.hearth.compute.events.LogListener;
import io.hearth.compute.events.LogMaintenance;
import io.hearth.compute.events.LogMaintenance.Backlog;
import io.hearth.compute.events.LogPartitions;
import io.hearth.node.CacheLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server node's log maintenance: keeps the logs of the partitions this node is primary for short
 * ({@link LogMaintenance}), on one background thread, and holds writers back when a partition's log grows past its
 * limit. A partition is looked at when a delta is published to it (the receiver tells, {@link LogListener}) and on a
 * sweep of every local partition each second (logs that age into a fold, logs left by a node that was primary before,
 * or before a restart). Chunks a merge or fold retired are deleted after {@link #GRACE_MILLIS}, since readers may
 * hold a manifest that names them; chunks nobody names (left by a crash between put and publish) are deleted when a
 * sweep finds them twice, at least that long apart.
 */
public final class LogFolder implements LogListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFolder.class);
    /** How long a retired chunk stays readable. */
    static final long GRACE_MILLIS = 30_000;
    /** Fresh deltas in a partition past which a publishing writer runs the merge itself (waits for it). */
    static final int HOLD_FRESH = 32;

    private final Ignite ignite;
    private final LogMaintenance.Settings settings;
    private final Map<String, Set<Integer>> dirty = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, Backlog>> backlogs = new ConcurrentHashMap<>();
    private final Deque<Retired> retired = new ArrayDeque<>();
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private volatile long lastSweep;
    private long lastOrphanScan = System.currentTimeMillis();
    /** Per log cache: chunks no manifest named at the last scan; deleted when the next scan finds them so again. */
    private final Map<String, Set<LogKey>> suspects = new ConcurrentHashMap<>();
    /** How often chunks nobody names are looked for (and how long one must stay so before it is deleted). */
    static final long ORPHAN_SCAN_MILLIS = 60_000;
    private final java.util.concurrent.atomic.AtomicLong folded = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resumed = new java.util.concurrent.atomic.AtomicLong();

    private record Retired(String cache, List<LogKey> keys, long dueAt) {
    }

    public LogFolder(Ignite ignite, LogMaintenance.Settings settings) {
        this.ignite = ignite;
        this.settings = settings;
        this.thread = new Thread(this::loop, "hearth-log-fold");
        thread.setDaemon(true);
    }

    /** Registers with the node (the receivers find it there) and starts the thread. */
    public LogFolder start() {
        ignite.cluster().nodeLocalMap().put(LogListener.KEY, this);
        thread.start();
        return this;
    }

    /** The folder of the given node, or null (a client, or not started). */
    public static LogFolder of(Ignite ignite) {
        Object f = ignite.cluster().nodeLocalMap().get(LogListener.KEY);
        return f instanceof LogFolder lf ? lf : null;
    }

    @Override
    public void published(String logCache, int anchor, int freshDeltas) {
        dirty.computeIfAbsent(logCache, k -> ConcurrentHashMap.newKeySet()).add(anchor);
        if (freshDeltas >= HOLD_FRESH) {
            held.incrementAndGet(); // the folder is behind: this writer merges (and waits for a merger) first
            maintain(logCache, anchor, false, settings.withMerge(1, settings.freshAgeMillis(), settings.runsSoft(),
                settings.runsHard()));
        } else if (freshDeltas >= settings.freshToMerge()) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                boolean busy = false;
                for (String cache : new ArrayList<>(dirty.keySet())) {
                    Set<Integer> anchors = dirty.remove(cache);
                    for (int a : anchors == null ? Set.<Integer>of() : anchors) {
                        busy |= maintain(cache, a, false).didSomething();
                    }
                }
                long now = System.currentTimeMillis();
                if (now - lastSweep >= 1000) {
                    lastSweep = now;
                    sweep(false);
                }
                deleteRetired(now);
                if (now - lastOrphanScan >= ORPHAN_SCAN_MILLIS) {
                    lastOrphanScan = now;
                    collectOrphans();
                }
                if (!busy) {
                    synchronized (wake) {
                        wake.wait(100);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) { // the grid stopping, a cache destroyed: log and go on
                if (running) {
                    LOG.warn("Log maintenance round failed; trying again: {}", e.toString());
                    LOG.debug("Log maintenance failure", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /** Looks at every local primary partition of every log; with {@code force}, folds them all. */
    private void sweep(boolean force) {
        ClusterNode me = ignite.cluster().localNode();
        for (String cache : ignite.cacheNames()) {
            if (!cache.startsWith(CacheLayout.LOG_PREFIX)) {
                continue;
            }
            LogPartitions lp = LogPartitions.of(ignite, cache);
            IgniteCache<LogKey, Object> log = ignite.cache(cache);
            for (int p : ignite.affinity(cache).primaryPartitions(me)) {
                int anchor = lp.anchor(p);
                Backlog b = LogMaintenance.backlog(log, anchor);
                backlogs.computeIfAbsent(cache, k -> new ConcurrentHashMap<>()).put(anchor, b);
                if (!b.isEmpty() || force) {
                    maintain(cache, anchor, force);
                }
            }
        }
    }

    /**
     * Deletes chunks that no manifest names, in two scans at least {@link #ORPHAN_SCAN_MILLIS} apart: chunks a writer
     * put and never published (it died in between), chunks of a merge cut short, chunks retired before a restart
     * lost the list of what to delete. A chunk is unnamed only for a moment in normal work (put just before its
     * publish), so one seen unnamed twice is garbage.
     */
    int collectOrphans() {
        int deleted = 0;
        ClusterNode me = ignite.cluster().localNode();
        for (String cache : ignite.cacheNames()) {
            if (!cache.startsWith(CacheLayout.LOG_PREFIX)) {
                continue;
            }
            IgniteCache<LogKey, Object> log = ignite.cache(cache);
            LogPartitions lp = LogPartitions.of(ignite, cache);
            IgniteCache<Object, Object> bin = log.withKeepBinary();
            Set<LogKey> unnamed = new java.util.HashSet<>();
            for (int p : ignite.affinity(cache).primaryPartitions(me)) {
                Set<Long> named = LogMaintenance.namedRuns(log, lp.anchor(p));
                try (org.apache.ignite.cache.query.QueryCursor<javax.cache.Cache.Entry<Object, Object>> cur = bin.query(
                    new org.apache.ignite.cache.query.ScanQuery<>().setPartition(p).setLocal(true))) {
                    for (javax.cache.Cache.Entry<Object, Object> e : cur) {
                        org.apache.ignite.binary.BinaryObject k = (org.apache.ignite.binary.BinaryObject) e.getKey();
                        long run = k.field("run");
                        if (run >= 0 && !named.contains(run)) {
                            unnamed.add(new LogKey(k.field("part"), run, k.field("chunk")));
                        }
                    }
                }
            }
            synchronized (retired) { // retired ones are deleted after their grace period, not before
                for (Retired r : retired) {
                    if (r.cache().equals(cache)) {
                        r.keys().forEach(unnamed::remove);
                    }
                }
            }
            Set<LogKey> before = suspects.getOrDefault(cache, Set.of());
            Set<LogKey> due = new TreeSet<>();
            for (LogKey k : unnamed) {
                if (before.contains(k)) {
                    due.add(k);
                }
            }
            if (!due.isEmpty()) {
                log.removeAll(due);
                deleted += due.size();
                LOG.info("Deleted {} chunks of {} that no manifest named (left by a stop)", due.size(), cache);
            }
            unnamed.removeAll(due);
            suspects.put(cache, unnamed);
        }
        return deleted;
    }

    /** One round for a partition, under its lock; records its backlog and queues what it retired. */
    private LogMaintenance.Round maintain(String cache, int anchor, boolean force) {
        return maintain(cache, anchor, force, settings);
    }

    private LogMaintenance.Round maintain(String cache, int anchor, boolean force, LogMaintenance.Settings settings) {
        ReentrantLock lock = locks.computeIfAbsent(cache + "#" + anchor, k -> new ReentrantLock());
        lock.lock();
        try {
            IgniteCache<LogKey, Object> log = ignite.cache(cache);
            IgniteCache<EventKey, Object> events = ignite.cache(CacheLayout.EVENTS_PREFIX
                + cache.substring(CacheLayout.LOG_PREFIX.length()));
            if (log == null || events == null) {
                return new LogMaintenance.Round(0, 0, 0, false, List.of(), Backlog.NONE);
            }
            LogMaintenance.Round r;
            do {
                r = LogMaintenance.maintain(log, events, this::inTransaction, anchor, settings, System.currentTimeMillis(),
                    force);
                folded.addAndGet(r.foldedEvents());
                if (r.resumedFold()) {
                    resumed.incrementAndGet();
                    LOG.info("Partition {} of {}: finished a fold of {} events that a stop had cut short", lpOf(cache)
                        .partitionOfAnchor(anchor), cache, r.foldedEvents());
                }
                if (!r.retired().isEmpty()) {
                    synchronized (retired) {
                        retired.add(new Retired(cache, r.retired(), System.currentTimeMillis() + GRACE_MILLIS));
                    }
                }
            } while (force && !r.backlog().isEmpty() && r.didSomething());
            backlogs.computeIfAbsent(cache, k -> new ConcurrentHashMap<>()).put(anchor, r.backlog());
            return r;
        } finally {
            lock.unlock();
        }
    }

    private void inTransaction(Runnable work) {
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            work.run();
            tx.commit();
        }
    }

    private void deleteRetired(long now) {
        while (true) {
            Retired r;
            synchronized (retired) {
                r = retired.peekFirst();
                if (r == null || r.dueAt() > now) {
                    return;
                }
                retired.pollFirst();
            }
            IgniteCache<LogKey, Object> log = ignite.cache(r.cache());
            if (log != null) {
                log.removeAll(new TreeSet<>(r.keys()));
            }
        }
    }

    /** Merges and folds every local partition's log of every source now (tests, benchmarks, before a shutdown). */
    public void foldAll() {
        sweep(true);
    }

    /** What this node's primary partitions hold unfolded, per log cache, as of their last look. */
    public Map<String, Backlog> backlogs() {
        Map<String, Backlog> out = new java.util.TreeMap<>();
        backlogs.forEach((cache, parts) -> {
            int fresh = 0;
            long freshEvents = 0;
            int runs = 0;
            long runEvents = 0;
            long oldest = Long.MAX_VALUE;
            for (Backlog b : parts.values()) {
                fresh += b.fresh();
                freshEvents += b.freshEvents();
                runs += b.runs();
                runEvents += b.runEvents();
                oldest = Math.min(oldest, b.oldestBorn());
            }
            out.put(cache, new Backlog(fresh, freshEvents, runs, runEvents, oldest));
        });
        return out;
    }

    /** Events folded by this node since it started, publishes that waited for a merge, folds finished after a stop. */
    public long[] counts() {
        return new long[] {folded.get(), held.get(), resumed.get()};
    }

    private LogPartitions lpOf(String cache) {
        return LogPartitions.of(ignite, cache);
    }

    /** Stops the thread after the round under way (a fold stopped halfway is done again on the next start). */
    @Override
    public void close() {
        running = false;
        ignite.cluster().nodeLocalMap().remove(LogListener.KEY, this);
        synchronized (wake) {
            wake.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Folds every log on every server node now; returns when all are empty (as of the call). */
    public static void foldEverywhere(Ignite ignite) {
        ignite.compute(ignite.cluster().forServers()).broadcast(new FoldJob());
    }

    /**
     * Per server node, what it holds unfolded of one source's log: {fresh deltas, fresh events, runs, run events,
     * oldest publish time (or Long.MAX_VALUE)}.
     */
    public static List<long[]> backlogEverywhere(Ignite ignite, String source) {
        return new ArrayList<>(ignite.compute(ignite.cluster().forServers()).broadcast(new BacklogJob(source)));
    }

    /** What the cluster's server nodes hold unfolded of a source's log, summed (as of each node's last look). */
    public static Backlog clusterBacklog(Ignite ignite, String source) {
        int fresh = 0;
        long freshEvents = 0;
        int runs = 0;
        long runEvents = 0;
        long oldest = Long.MAX_VALUE;
        for (long[] b : backlogEverywhere(ignite, source)) {
            fresh += (int) b[0];
            freshEvents += b[1];
            runs += (int) b[2];
            runEvents += b[3];
            oldest = Math.min(oldest, b[4]);
        }
        return new Backlog(fresh, freshEvents, runs, runEvents, oldest);
    }

    private static final class FoldJob implements org.apache.ignite.lang.IgniteRunnable {
        private static final long serialVersionUID = 1L;
        @org.apache.ignite.resources.IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public void run() {
            LogFolder f = of(ignite);
            if (f != null) {
                f.foldAll();
            }
        }
    }

    private static final class BacklogJob implements org.apache.ignite.lang.IgniteCallable<long[]> {
        private static final long serialVersionUID = 1L;
        private final String source;
        @org.apache.ignite.resources.IgniteInstanceResource
        private transient Ignite ignite;

        BacklogJob(String source) {
            this.source = source;
        }

        @Override
        public long[] call() {
            LogFolder f = of(ignite);
            Backlog b = f == null ? null : f.backlogs().get(CacheLayout.logCache(source));
            return b == null ? new long[] {0, 0, 0, 0, Long.MAX_VALUE}
                : new long[] {b.fresh(), b.freshEvents(), b.runs(), b.runEvents(), b.oldestBorn()};
        }
    }
}
