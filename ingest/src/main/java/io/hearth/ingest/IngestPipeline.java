package io.hearth.ingest;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.Places;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.compute.ingest.Ranges;
import io.hearth.compute.ingest.RowCheck;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Expectation;
import io.hearth.quality.QualityGate;
import io.hearth.quality.QualityResult;
import io.hearth.quality.WindowMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one path every event takes in, whatever carried it (HTTP, files, the demo loader): check each record
 * against its source, collect valid events per entity, send rejects to quarantine, write both durably in
 * batches. A {@link Batch} is used by one thread at a time; {@link Batch#cut()} hands the collected records to
 * another thread for writing while parsing goes on.
 */
public final class IngestPipeline {
    /** Rejections listed in a response; the quarantine holds all of them. */
    public static final int MAX_LISTED_REJECTIONS = 1000;

    /**
     * Writes a source's events, grouped by entity, durably (primary and backup) before it returns; {@code places}
     * (or null) says where each came from, so that a replay of them is applied once ({@link Places}).
     */
    @FunctionalInterface
    public interface EventSink {
        void write(String source, Map<String, EventBlock> byEntity, Places places);
    }

    /** Stores rejected records durably before it returns; one entry per record's place, however often it comes. */
    @FunctionalInterface
    public interface QuarantineSink {
        void add(List<QuarantinedRecord> records);
    }

    /** Per source and idempotency key, the indexes of the records accepted under it ({@link Ranges} form). */
    public interface Ledger {
        long[] acceptedUnder(String source, String idempotencyKey);

        /** Adds indexes once their records are durable; durable itself when this returns. */
        void addAccepted(String source, String idempotencyKey, long[] ranges);
    }

    private final Supplier<Definitions> definitions;
    private final EventSink events;
    private final QuarantineSink quarantine;
    private final Ledger ledger;
    private final Clock clock;
    private final MeterRegistry meters;
    private final QualityGate quality;
    private final Map<String, RecentRate> rates = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A pipeline over its stores: in a process the cluster's ({@link Ingest#create} adapts them), in tests fakes.
     *
     * @param definitions the definitions in force, read when a batch opens
     */
    public IngestPipeline(Supplier<Definitions> definitions, EventSink events, QuarantineSink quarantine, Ledger ledger,
                          Clock clock, MeterRegistry meters) {
        this(definitions, events, quarantine, ledger, clock, meters, QualityGate.NONE);
    }

    /** A pipeline that also judges sources' expectations over windows of what it accepts ({@code quality}). */
    public IngestPipeline(Supplier<Definitions> definitions, EventSink events, QuarantineSink quarantine, Ledger ledger,
                          Clock clock, MeterRegistry meters, QualityGate quality) {
        this.quality = quality;
        this.definitions = definitions;
        this.events = events;
        this.quarantine = quarantine;
        this.ledger = ledger;
        this.clock = clock;
        this.meters = meters;
    }

    /** Accepted events per second into a source through this gateway, over the last ten seconds. */
    public double eventsPerSecond(String source) {
        RecentRate r = rates.get(source);
        return r == null ? 0 : r.perSecond();
    }

    /** Records accepted and rejected into a source through this gateway since it started (its ingest counters). */
    public long[] totals(String source) {
        return new long[] {(long) rows(source, "accepted").count(), (long) rows(source, "rejected").count()};
    }

    /** The counter of a source's records with an outcome (accepted: durable; rejected: in quarantine). */
    private Counter rows(String sourceName, String outcome) {
        return Counter.builder("hearth.ingest.rows").description("Records ingested, by source and outcome "
            + "(accepted: durable; rejected: in quarantine)").tag("source", sourceName).tag("outcome", outcome)
            .register(meters);
    }

    /** One rejected record as a response lists it. */
    public record Rejection(long index, String field, String rule, String message) {
    }

    /** Opens a batch for a source; unknown sources are a 404. */
    public Batch open(String sourceName, String origin) {
        Definitions d = definitions.get();
        Source source = d.source(sourceName).orElseThrow(() -> new HearthException(ErrorCode.NOT_FOUND, "source",
            "ref.source", Definitions.unknown("source", sourceName, d.sourceNames())));
        Entity entity = d.entity(source.entity()).orElseThrow();
        return new Batch(source, new RowValidator(source, entity), origin, quality.monitor(source, entity));
    }

    /** Records of one request or file, counted from index 0. */
    public final class Batch {
        private final Source source;
        private final RowValidator validator;
        private String origin;
        private String idempotencyKey;
        private long firstIndex;
        private final long receivedAt;
        private final Counter acceptedCounter;
        private final Counter rejectedCounter;
        private final List<Rejection> listed = new ArrayList<>();
        private Pending pending = new Pending();
        private long index;
        private long accepted;
        private long alreadyStored;
        private long rejected;
        /** Under an idempotency key: the indexes accepted by earlier requests (their events are durable). */
        private long[] acceptedBefore = Ranges.EMPTY;
        /** The streams this batch reads, each {name, from, to, floor} (see {@link #stream}). */
        private final List<Object[]> streams = new ArrayList<>();
        private final WindowMonitor monitor;
        /** Records offered after the batch was halted (not taken: neither accepted nor rejected). */
        public long refusedAfterHalt() {
            return refusedAfterHalt;
        }

        /** The block-severity failure that halted this batch: records after it are not taken. */
        private QualityResult halted;
        private boolean blockOnQuality = true;
        private long refusedAfterHalt;

        Batch(Source source, RowValidator validator, String origin, WindowMonitor monitor) {
            this.monitor = monitor;
            this.source = source;
            this.validator = validator;
            this.origin = origin;
            this.receivedAt = clock.millis();
            this.acceptedCounter = rows(source.name(), "accepted");
            this.rejectedCounter = rows(source.name(), "rejected");
        }

        public Source source() {
            return source;
        }

        /**
         * Checks one record; {@code raw} gives its original text for the quarantine. Returns the rule it broke, or
         * null when it was accepted.
         */
        public RowCheck.Rejected add(Map<String, ?> row, Supplier<String> raw) {
            long i = index++;
            long place = idempotencyKey == null ? 0 : EventBlock.idHash(idempotencyKey + "/" + (firstIndex + i));
            return add(row, raw, origin, firstIndex + i, place);
        }

        /**
         * Makes this batch's records replay-safe without an id field: record i gets the event id
         * {@code key/(firstIndex + i)} when its source declares no id field, and one quarantine entry per place.
         * A client that sends the same records again with the same key and indexes changes nothing.
         */
        public Batch idempotent(String key, long first) {
            this.idempotencyKey = key;
            this.firstIndex = first;
            this.origin = "key:" + key;
            this.acceptedBefore = ledger.acceptedUnder(source.name(), key);
            return this;
        }

        /**
         * Checks one record that carries its own place: {@code recordOrigin} and {@code recordIndex} (a Kafka
         * topic/partition and offset) name it in the quarantine, which keeps one entry per place however often the
         * record is replayed; {@code fallbackIdHash} (non-zero) is its event id when the source declares no id field,
         * so that replays are stored once.
         */
        public RowCheck.Rejected add(Map<String, ?> row, Supplier<String> raw, String recordOrigin, long recordIndex,
                                     long fallbackIdHash) {
            if (halted != null) {
                refusedAfterHalt++; // the breaker opens on this batch's write: nothing after the failed window is taken
                return null;
            }
            RowCheck check = validator.check(row);
            if (check instanceof RowCheck.Accepted a) {
                observe(a, row);
                if (idempotencyKey != null && Ranges.contains(acceptedBefore, recordIndex)) {
                    pending.already++; // durable since an earlier request under this key: not written again
                    return null;
                }
                long id = a.idHash() != 0 ? a.idHash() : fallbackIdHash;
                pending.blocks.computeIfAbsent(a.entity(), k -> validator.newBlock())
                    .add(a.eventTs(), a.createdTs(), id, a.values());
                pending.rows++;
                if (idempotencyKey != null) {
                    pending.acceptedIndexes.add(recordIndex);
                }
                return null;
            }
            return rejected((RowCheck.Rejected) check, row, raw, recordOrigin, recordIndex);
        }

        /** Shows an accepted record to the source's window monitor; a window failing a block expectation halts the batch. */
        private void observe(RowCheck.Accepted a, Map<String, ?> row) {
            if (monitor == null) {
                return;
            }
            List<QualityResult> rs = monitor.observe(a.values(), a.eventTs(), a.createdTs(), row, clock.millis());
            if (rs == null) {
                return;
            }
            for (QualityResult r : rs) {
                if (r.blocks() && !blockOnQuality) {
                    r = new QualityResult(r.source(), r.column(), r.feature(), r.expect(), r.windowStart(), r.windowEnd(),
                        r.elementCount(), r.unexpectedCount(), r.observed(), false, Expectation.Severity.WARN, r.detail()
                        + " (not blocking: records let through after a breaker reset)", r.origin());
                }
                pending.results.add(r);
                if (r.blocks() && halted == null) {
                    halted = r;
                }
            }
        }

        /**
         * Whether a failed {@code block} expectation halts this batch and opens the breaker (the default), or is only
         * recorded: for records an operator's reset let through (a Kafka backlog).
         */
        public void blockOnQuality(boolean block) {
            this.blockOnQuality = block;
        }

        /** The block-severity failure that halted this batch (the breaker opens when its window is written), or null. */
        public QualityResult halted() {
            return halted;
        }

        /**
         * Stores the windows judged so far and acts on them (opens the breaker on a block failure) without writing
         * the batch's records: for a batch held back whole.
         */
        public void judgeNow() {
            quality.judged(source, pending.results);
            pending.results.clear();
        }

        private RowCheck.Rejected rejected(RowCheck.Rejected r, Map<String, ?> row, Supplier<String> raw,
                                           String recordOrigin, long recordIndex) {
            Object id = source.idField() == null ? null : row.get(source.idField());
            String place = idempotencyKey == null && id != null && !id.toString().isEmpty()
                ? "id:" + id : null; // a resent bad record with an id lands on its earlier entry, as its event would
            reject(recordOrigin, recordIndex, place, r.field(), r.rule(), r.message(), raw.get());
            return r;
        }

        /**
         * Declares a stream this batch reads records of (a Kafka topic partition): positions {@code [from, to)}, none
         * below {@code floor} can come again. Events added with {@link #add(Map, Supplier, String, long, String)}
         * then carry their place, and a partition that applied a place already drops its event: replays of a
         * stream are applied once without an event id per event.
         */
        public Batch stream(String name, long from, long to, long floor) {
            streams.add(new Object[] {name, from, to, floor});
            return this;
        }

        /**
         * Checks one record read at {@code position} of the declared {@code stream}; {@code recordOrigin} and the
         * position name it in the quarantine, which keeps one entry per place however often it is replayed.
         */
        public RowCheck.Rejected add(Map<String, ?> row, Supplier<String> raw, String recordOrigin, long position,
                                     String stream) {
            if (halted != null) {
                refusedAfterHalt++;
                return null;
            }
            RowCheck check = validator.check(row);
            if (check instanceof RowCheck.Accepted a) {
                observe(a, row);
                pending.blocks.computeIfAbsent(a.entity(), k -> validator.newBlock())
                    .add(a.eventTs(), a.createdTs(), a.idHash(), a.values());
                if (pending.places == null) {
                    pending.places = new Places.Builder();
                    for (Object[] st : streams) {
                        pending.places.stream((String) st[0], (Long) st[1], (Long) st[2], (Long) st[3]);
                    }
                }
                pending.places.add(a.entity(), stream, position);
                pending.rows++;
                return null;
            }
            return rejected((RowCheck.Rejected) check, row, raw, recordOrigin, position);
        }

        /** Records a record that could not even be read (not JSON, not an object). */
        public void reject(String field, String rule, String message, String raw) {
            reject(origin, firstIndex + index++, field, rule, message, raw);
        }

        /** {@link #reject(String, String, String, String)} for a record that carries its own place. */
        public void reject(String recordOrigin, long recordIndex, String field, String rule, String message, String raw) {
            reject(recordOrigin, recordIndex, null, field, rule, message, raw);
        }

        private void reject(String recordOrigin, long recordIndex, String place, String field, String rule, String message,
                            String raw) {
            pending.rejects.add(new QuarantinedRecord(source.name(), receivedAt, recordOrigin, recordIndex, place, field,
                rule, message, raw.length() > 65_536 ? raw.substring(0, 65_536) : raw));
            if (listed.size() < MAX_LISTED_REJECTIONS) {
                listed.add(new Rejection(recordIndex, field, rule, message));
            }
        }

        /** Records collected since the last cut. */
        public int pendingCount() {
            return pending.rows + pending.already + pending.rejects.size();
        }

        /** Rejected records collected since the last cut. */
        public int pendingRejected() {
            return pending.rejects.size();
        }

        /** Takes the collected records out, for writing on another thread. */
        public Pending cut() {
            Pending p = pending;
            pending = new Pending();
            return p;
        }

        /** Writes records durably (blocking); counts them once written. Call from one thread at a time. */
        public void write(Pending p) {
            Map<String, EventBlock> blocks = new HashMap<>();
            p.blocks.forEach((k, b) -> blocks.put(k, b.build()));
            quarantine.add(p.rejects);
            events.write(source.name(), blocks, p.places == null ? null : p.places.build());
            if (idempotencyKey != null) {
                ledger.addAccepted(source.name(), idempotencyKey, p.acceptedIndexes.build());
            }
            quality.accepted(source.name(), p.rows);
            quality.judged(source, p.results); // after the window's records are durable; a block failure opens the breaker
            accepted += p.rows + p.already;
            alreadyStored += p.already;
            rejected += p.rejects.size();
            acceptedCounter.increment(p.rows);
            rejectedCounter.increment(p.rejects.size());
            rates.computeIfAbsent(source.name(), k -> new RecentRate(clock)).add(p.rows);
        }

        /** Cuts and writes whatever is collected, on the calling thread. */
        public void flush() {
            write(cut());
        }

        public long received() {
            return index;
        }

        /** Records durable after this batch: stored by it, or already stored under its idempotency key. */
        public long accepted() {
            return accepted;
        }

        /** Of the accepted records, those an earlier request under the same idempotency key stored. */
        public long alreadyStored() {
            return alreadyStored;
        }

        public long rejected() {
            return rejected;
        }

        public List<Rejection> listedRejections() {
            return listed;
        }

        public String origin() {
            return origin;
        }
    }

    /** Records checked but not yet written. */
    public static final class Pending {
        final Map<String, EventBlock.Builder> blocks = new HashMap<>();
        final List<QuarantinedRecord> rejects = new ArrayList<>();
        final List<QualityResult> results = new ArrayList<>();
        final Ranges.Builder acceptedIndexes = new Ranges.Builder();
        Places.Builder places; // when records carry places
        int rows;
        int already;

        /** Records accepted: new ones and those already stored under the batch's idempotency key. */
        public int accepted() {
            return rows + already;
        }

        public List<QuarantinedRecord> rejects() {
            return rejects;
        }
    }
}
