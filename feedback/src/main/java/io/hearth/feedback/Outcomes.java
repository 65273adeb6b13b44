package io.hearth.feedback;

import io.hearth.node.CacheLayout;
import io.hearth.node.CacheLayout.OutcomeFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * Outcomes (cache {@value CacheLayout#OUTCOMES}, SQL table {@code HEARTH.OUTCOMES}): stored once per (request id,
 * label), the first value staying, whether or not the request's log is there yet. An outcome is <em>matched</em> when
 * its request was logged; matching is a join at read time, so an outcome that arrived before its log (logs are
 * written a moment after the lookup, or later under load) is matched as soon as the log is written.
 */
public final class Outcomes {
    /**
     * What one batch of outcomes did. Each distinct (request id, label) of the batch counts once, as {@code matched}
     * (its request is logged) or {@code unmatched} (not, or not yet: it is kept and matched when the log arrives);
     * {@code stored} of them were new and {@code alreadyStored} were stored before (their first value stays);
     * {@code duplicates} are entries of the batch repeating a pair given earlier in it (they change nothing).
     */
    public record Result(long matched, long unmatched, long stored, long alreadyStored, long duplicates) {
    }

    private final Ignite ignite;
    private final FeatureLog log;
    private final FeedbackFacts facts;
    private final Clock clock;
    private final Counter matchedCounter;
    private final Counter unmatchedCounter;

    public Outcomes(Ignite ignite, FeatureLog log, FeedbackFacts facts, Clock clock, MeterRegistry meters) {
        this.ignite = ignite;
        this.log = log;
        this.facts = facts;
        this.clock = clock;
        this.matchedCounter = Counter.builder("hearth.outcomes").description("Outcomes received, by whether their "
            + "request was logged when they arrived").tag("result", "matched").register(meters);
        this.unmatchedCounter = Counter.builder("hearth.outcomes").description("Outcomes received, by whether their "
            + "request was logged when they arrived").tag("result", "unmatched").register(meters);
    }

    private IgniteCache<String, BinaryObject> cache() {
        return ignite.<String, Object>cache(CacheLayout.OUTCOMES).withKeepBinary();
    }

    /** Stores the outcomes not stored yet, and says how many are matched to a logged request. */
    public Result record(List<Outcome> outcomes) {
        Map<String, Outcome> distinct = new LinkedHashMap<>();
        long duplicates = 0;
        for (Outcome o : outcomes) {
            if (distinct.putIfAbsent(o.key(), o) != null) {
                duplicates++;
            }
        }
        if (distinct.isEmpty()) {
            return new Result(0, 0, 0, 0, duplicates);
        }
        IgniteCache<String, BinaryObject> c = cache();
        Set<String> before = c.getAll(distinct.keySet()).keySet();
        long now = clock.millis();
        Map<String, BinaryObject> fresh = new HashMap<>();
        for (Outcome o : distinct.values()) {
            if (!before.contains(o.key())) {
                fresh.put(o.key(), ignite.binary().builder(CacheLayout.OUTCOME_TYPE)
                    .setField(OutcomeFields.REQUEST_ID, o.requestId(), String.class)
                    .setField(OutcomeFields.LABEL, o.label(), String.class)
                    .setField(OutcomeFields.LABEL_VALUE, o.valueJson(), String.class)
                    .setField(OutcomeFields.OUTCOME_TS, new Timestamp(o.outcomeTs()), Timestamp.class)
                    .setField(OutcomeFields.RECEIVED_AT, new Timestamp(now), Timestamp.class)
                    .build());
            }
        }
        c.putAll(fresh);
        Set<String> ids = new HashSet<>();
        distinct.values().forEach(o -> ids.add(o.requestId()));
        Map<String, String> serviceOf = log.servicesOf(ids);
        long matched = 0;
        for (Outcome o : distinct.values()) {
            String service = serviceOf.get(o.requestId());
            matched += service != null ? 1 : 0;
            facts.label(o.label(), service, now);
        }
        long unmatched = distinct.size() - matched;
        matchedCounter.increment(matched);
        unmatchedCounter.increment(unmatched);
        return new Result(matched, unmatched, fresh.size(), distinct.size() - fresh.size(), duplicates);
    }

    /** The outcomes of {@code label} for each of {@code requestIds} that has one. */
    public Map<String, Outcome> of(Collection<String> requestIds, String label) {
        Set<String> keys = new HashSet<>();
        requestIds.forEach(id -> keys.add(Outcome.key(id, label)));
        Map<String, Outcome> out = new HashMap<>();
        cache().getAll(keys).forEach((k, v) -> {
            Outcome o = new Outcome(v.field(OutcomeFields.REQUEST_ID), v.field(OutcomeFields.LABEL),
                v.field(OutcomeFields.LABEL_VALUE), v.<Timestamp>field(OutcomeFields.OUTCOME_TS).getTime());
            out.put(o.requestId(), o);
        });
        return out;
    }

    /** The JSON texts of every stored value of {@code label} (what its training set column's type is chosen from). */
    public List<String> values(String label) {
        SqlFieldsQuery q = new SqlFieldsQuery("SELECT DISTINCT " + OutcomeFields.LABEL_VALUE + " FROM "
            + CacheLayout.SQL_SCHEMA + ".OUTCOMES WHERE " + OutcomeFields.LABEL + " = ?").setSchema(CacheLayout.SQL_SCHEMA)
            .setArgs(label).setLazy(true);
        List<String> out = new ArrayList<>();
        for (List<?> row : cache().query(q)) {
            out.add((String) row.get(0));
        }
        return out;
    }

    /** Deletes outcomes received before {@code before}; returns how many. */
    public long sweep(long before) {
        SqlFieldsQuery q = new SqlFieldsQuery("DELETE FROM " + CacheLayout.SQL_SCHEMA + ".OUTCOMES WHERE "
            + OutcomeFields.RECEIVED_AT + " < ?").setSchema(CacheLayout.SQL_SCHEMA).setArgs(new Timestamp(before));
        return ((Number) cache().query(q).getAll().get(0).get(0)).longValue();
    }
}
