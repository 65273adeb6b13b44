package io.hearth.node.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.lineage.BackfillRun;
import io.hearth.catalog.lineage.Runs;
import io.hearth.catalog.lineage.TrainingRun;
import io.hearth.node.CacheLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * What lineage learns at run time, kept in the cluster so every gateway sees it and it survives restarts: every ended
 * training-set run, and every back-fill run from its start to its end. Runs are stored as JSON (their records'
 * fields), beside a sequence number that every write moves in the same transaction: a gateway that compares it with
 * the one its catalog was built at knows exactly when to rebuild.
 */
public final class LineageStore {
    private static final String SEQUENCE = "seq";
    private static final String TRAINING = "training:";
    private static final String BACKFILL = "backfill:";
    private static final ObjectMapper JSON = new ObjectMapper()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // a newer Hearth may add fields

    private final Ignite ignite;

    public LineageStore(Ignite ignite) {
        this.ignite = ignite;
    }

    private IgniteCache<String, Object> cache() {
        return ignite.cache(CacheLayout.LINEAGE);
    }

    /** Moves with every run written; 0 before the first. */
    public long sequence() {
        Object v = cache().get(SEQUENCE);
        return v == null ? 0 : (Long) v;
    }

    /** Records an ended training-set run. */
    public void record(TrainingRun run) {
        if (TrainingRun.RUNNING.equals(run.status())) {
            throw new IllegalArgumentException("only ended training runs are recorded, got " + run.status());
        }
        write(TRAINING + run.runId(), json(run));
    }

    /** Records a back-fill that has started. */
    public void start(BackfillRun run) {
        write(BACKFILL + run.runId(), json(run));
    }

    /**
     * Applies {@code end} to a back-fill run in one transaction, and returns what was stored: empty when there is no
     * such run. {@code end} may refuse (throw), and then nothing changes.
     */
    public Optional<BackfillRun> end(String runId, UnaryOperator<BackfillRun> end) {
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            IgniteCache<String, Object> c = cache();
            String stored = (String) c.get(BACKFILL + runId);
            if (stored == null) {
                return Optional.empty();
            }
            BackfillRun ended = end.apply(read(stored, BackfillRun.class));
            c.put(BACKFILL + runId, json(ended));
            c.put(SEQUENCE, next(c));
            tx.commit();
            return Optional.of(ended);
        }
    }

    public Optional<BackfillRun> backfill(String runId) {
        String stored = (String) cache().get(BACKFILL + runId);
        return stored == null ? Optional.empty() : Optional.of(read(stored, BackfillRun.class));
    }

    /** Every run recorded, newest first, and the sequence number they were read at (read before them). */
    public Snapshot snapshot() {
        long seq = sequence();
        List<TrainingRun> training = new ArrayList<>();
        List<BackfillRun> backfills = new ArrayList<>();
        try (var cursor = cache().query(new ScanQuery<String, Object>())) {
            for (Cache.Entry<String, Object> e : cursor) {
                if (e.getKey().startsWith(TRAINING)) {
                    training.add(read((String) e.getValue(), TrainingRun.class));
                } else if (e.getKey().startsWith(BACKFILL)) {
                    backfills.add(read((String) e.getValue(), BackfillRun.class));
                }
            }
        }
        return new Snapshot(seq, new Runs(training, backfills));
    }

    /** Runs as read at a sequence number: a later write has a greater one. */
    public record Snapshot(long sequence, Runs runs) {
    }

    private void write(String key, String value) {
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            IgniteCache<String, Object> c = cache();
            c.put(key, value);
            c.put(SEQUENCE, next(c));
            tx.commit();
        }
    }

    private static long next(IgniteCache<String, Object> c) {
        Object v = c.get(SEQUENCE);
        return (v == null ? 0 : (Long) v) + 1;
    }

    private static String json(Object run) {
        try {
            return JSON.writeValueAsString(run);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a run as JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored run is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
