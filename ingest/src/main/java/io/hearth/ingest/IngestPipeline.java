package io.hearth.ingest;

import io.hearth.catalog.ColumnType;
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
import io.hearth.quality.Profiles;
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
 *
 * <p>A batch checks records against the source as defined when it opened. One that follows schema changes
 * ({@link Batch#followSchemaChanges()}, a long HTTP stream) holds a record with a field its source does not know,
 * and every record after it, until the next write; the write reads the definitions in force then and, when the
 * source changed, checks the held records against the new definition, and so does the batch from then on. A record
 * sent after an apply answered is thus never quarantined as {@code schema.unknown_field} for a column that apply
 * added, and records keep their order.
 */
public final class IngestPipeline {
    /** Rejections listed in a response; the quarantine holds all of them. */
    public static final int MAX_LISTED_REJECTIONS = 1000;
    private static final String UNKNOWN_FIELD = "schema.unknown_field";

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
        return new Batch(checker(source, d.entity(source.entity()).orElseThrow()), origin);
    }

    private Checker checker(Source source, Entity entity) {
        return new Checker(source, new RowValidator(source, entity), quality.monitor(source, entity),
            quality.profiles(source, entity));
    }

    /**
     * A source's definition, the validator of its records, the monitor of its expectations and the profiles of its
     * columns (each null: none).
     */
    private record Checker(Source source, RowValidator validator, WindowMonitor monitor, Profiles profiles) {
    }

    /** A record held until the next write (see {@link Batch#followSchemaChanges()}), with its place. */
    private record Held(Map<String, ?> row, Supplier<String> raw, String origin, long index, long fallbackIdHash) {
    }

    /** Records of one request or file, counted from index 0. */
    public final class Batch {
        /** The definition records are checked against; a write that finds a newer one replaces it. */
        private volatile Checker checker;
        private boolean followSchema;
        /** The block-severity failure that halted this batch: records after it are not taken. */
        private volatile QualityResult halted;
        /** Where the halted window's results begin in the pending results (those before it are earlier windows). */
        private int haltedFrom;
        private boolean blockOnQuality = true;
        private long refusedAfterHalt;
        private String origin;
        private String idempotencyKey;
        private long firstIndex;
        private final long receivedAt;
        private final Counter acceptedCounter;
        private final Counter rejectedCounter;
        private final List<Rejection> listed = new ArrayList<>();
        private Pending pending;
        private long index;
        private long accepted;
        private long alreadyStored;
        private long rejected;
        /** Under an idempotency key: the indexes accepted by earlier requests (their events are durable). */
        private long[] acceptedBefore = Ranges.EMPTY;
        /** The streams this batch reads, each {name, from, to, floor} (see {@link #stream}). */
        private final List<Object[]> streams = new ArrayList<>();

        Batch(Checker checker, String origin) {
            this.checker = checker;
            this.origin = origin;
            this.receivedAt = clock.millis();
            this.acceptedCounter = rows(checker.source().name(), "accepted");
            this.rejectedCounter = rows(checker.source().name(), "rejected");
            this.pending = new Pending(checker);
        }

        /** The source as records are checked against it now. */
        public Source source() {
            return checker.source();
        }

        /**
         * Makes this batch follow changes to its source's definition made while it is open: a record with a field the
         * source does not know is held, with every record after it, until the next write, which checks them against
         * the definitions in force then (see the class comment). For batches that stay open while definitions may
         * change (an HTTP stream); a batch checked against one poll's definitions (Kafka) does not need it.
         */
        public Batch followSchemaChanges() {
            this.followSchema = true;
            return this;
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
            this.acceptedBefore = ledger.acceptedUnder(checker.source().name(), key);
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
            Pending into = current();
            if (!into.held.isEmpty()) { // after a held record, every record waits with it: order is kept
                into.held.add(new Held(row, raw, recordOrigin, recordIndex, fallbackIdHash));
                return null;
            }
            RowCheck check = into.checker.validator().check(row);
            if (followSchema && check instanceof RowCheck.Rejected r && UNKNOWN_FIELD.equals(r.rule())) {
                into.held.add(new Held(row, raw, recordOrigin, recordIndex, fallbackIdHash));
                return null;
            }
            return collect(into, check, row, raw, recordOrigin, recordIndex, fallbackIdHash);
        }

        /** The records collected since the last cut, laid out for the definition in force (a write may have changed it). */
        private Pending current() {
            Checker c = checker;
            if (pending.checker != c) {
                pending.follow(c);
            }
            return pending;
        }

        private RowCheck.Rejected collect(Pending into, RowCheck check, Map<String, ?> row, Supplier<String> raw,
                                          String recordOrigin, long recordIndex, long fallbackIdHash) {
            if (check instanceof RowCheck.Accepted a) {
                if (idempotencyKey != null && Ranges.contains(acceptedBefore, recordIndex)) {
                    into.already++; // durable since an earlier request under this key: not written again
                    return null;
                }
                observe(into, a, row);
                long id = a.idHash() != 0 ? a.idHash() : fallbackIdHash;
                into.blocks.computeIfAbsent(a.entity(), k -> into.checker.validator().newBlock())
                    .add(a.eventTs(), a.createdTs(), id, a.values());
                into.rows++;
                if (idempotencyKey != null) {
                    into.acceptedIndexes.add(recordIndex);
                }
                return null;
            }
            return rejected(into, (RowCheck.Rejected) check, row, raw, recordOrigin, recordIndex);
        }

        /** Shows an accepted record to the source's window monitor; a window failing a block expectation halts the batch. */
        private void observe(Pending into, RowCheck.Accepted a, Map<String, ?> row) {
            WindowMonitor monitor = into.checker.monitor();
            if (monitor == null) {
                return;
            }
            long now = clock.millis();
            // A window holding a record let through fails as warn, even when a judged record completes it.
            List<QualityResult> rs = monitor.observe(a.values(), a.eventTs(), a.createdTs(), row, now, blockOnQuality);
            if (rs == null) {
                return;
            }
            int from = into.results.size();
            for (QualityResult r : rs) {
                into.results.add(r);
                if (r.blocks() && halted == null) {
                    halted = r;
                    haltedFrom = from;
                }
            }
        }

        /**
         * Whether the records added from now on are judged: a failed {@code block} expectation halts this batch and
         * opens the breaker (the default), or, for records an operator's reset let through (a Kafka backlog), is only
         * recorded, with severity {@code warn}; so is every window that holds any such record, whichever record
         * completes it.
         */
        public void blockOnQuality(boolean block) {
            this.blockOnQuality = block;
        }

        /** Records offered after the batch was halted (not taken: neither accepted nor rejected). */
        public long refusedAfterHalt() {
            return refusedAfterHalt;
        }

        /** The block-severity failure that halted this batch (the breaker opens when its window is written), or null. */
        public QualityResult halted() {
            return halted;
        }

        /**
         * Stores the window that halted this batch and acts on it (opens the breaker) without writing the batch's
         * records: for a batch held back whole. Windows it completed before that one are not stored: their records are
         * not written either, and are judged again when the batch comes again (after a reset or a passed probe).
         */
        public void judgeNow() {
            List<QualityResult> rs = pending.results;
            List<QualityResult> failing = List.copyOf(halted == null ? rs : rs.subList(haltedFrom, rs.size()));
            rs.clear();
            quality.judged(pending.checker.source(), failing);
        }

        private RowCheck.Rejected rejected(Pending into, RowCheck.Rejected r, Map<String, ?> row, Supplier<String> raw,
                                           String recordOrigin, long recordIndex) {
            Source source = into.checker.source();
            Object id = source.idField() == null ? null : row.get(source.idField());
            String place = idempotencyKey == null && id != null && !id.toString().isEmpty()
                ? "id:" + id : null; // a resent bad record with an id lands on its earlier entry, as its event would
            reject(into, recordOrigin, recordIndex, place, r.field(), r.rule(), r.message(), raw.get());
            return r;
        }

        /**
         * Checks the records {@code p} holds against the source as the definitions in force now define it (read here,
         * on the writing thread), after switching {@code p}, and this batch, to that definition when it changed.
         */
        private void recheckHeld(Pending p) {
            Definitions d = definitions.get();
            Source now = d.source(p.checker.source().name()).orElse(null);
            if (now != null && !now.equals(p.checker.source()) && d.entity(now.entity()).isPresent()) {
                Checker c = checker;
                if (!now.equals(c.source())) {
                    c = checker(now, d.entity(now.entity()).orElseThrow());
                    checker = c; // the adding thread lays its records out for it from its next record on
                }
                p.follow(c);
            }
            List<Held> held = p.held;
            p.held = new ArrayList<>();
            for (Held h : held) {
                collect(p, p.checker.validator().check(h.row()), h.row(), h.raw(), h.origin(), h.index(),
                    h.fallbackIdHash());
            }
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
            Pending into = current();
            RowCheck check = into.checker.validator().check(row);
            if (check instanceof RowCheck.Accepted a) {
                observe(into, a, row);
                into.blocks.computeIfAbsent(a.entity(), k -> into.checker.validator().newBlock())
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
            return rejected(into, (RowCheck.Rejected) check, row, raw, recordOrigin, position);
        }

        /** Records a record that could not even be read (not JSON, not an object). */
        public void reject(String field, String rule, String message, String raw) {
            reject(origin, firstIndex + index++, field, rule, message, raw);
        }

        /** {@link #reject(String, String, String, String)} for a record that carries its own place. */
        public void reject(String recordOrigin, long recordIndex, String field, String rule, String message, String raw) {
            reject(pending, recordOrigin, recordIndex, null, field, rule, message, raw);
        }

        private void reject(Pending into, String recordOrigin, long recordIndex, String place, String field, String rule,
                            String message, String raw) {
            into.rejects.add(new QuarantinedRecord(into.checker.source().name(), receivedAt, recordOrigin, recordIndex,
                place, field, rule, message, raw.length() > 65_536 ? raw.substring(0, 65_536) : raw));
            synchronized (listed) { // a write may reject held records on its own thread
                if (listed.size() < MAX_LISTED_REJECTIONS) {
                    listed.add(new Rejection(recordIndex, field, rule, message));
                }
            }
        }

        /** Records collected since the last cut (held ones included). */
        public int pendingCount() {
            return pending.rows + pending.already + pending.rejects.size() + pending.held.size();
        }

        /** Rejected records collected since the last cut. */
        public int pendingRejected() {
            return pending.rejects.size();
        }

        /** Takes the collected records out, for writing on another thread. */
        public Pending cut() {
            Pending p = pending;
            pending = new Pending(p.checker);
            return p;
        }

        /**
         * Writes records durably (blocking); counts them once written. Call from one thread at a time. Held records
         * are checked first, against the definitions in force now.
         */
        public void write(Pending p) {
            if (!p.held.isEmpty()) {
                recheckHeld(p);
            }
            Map<String, EventBlock> blocks = new HashMap<>();
            p.blocks.forEach((k, b) -> blocks.put(k, b.build()));
            Profiles profiles = p.checker.profiles();
            if (profiles != null) { // columnar, on the writing thread: off the path that reads and checks records
                long now = clock.millis();
                blocks.forEach((entity, b) -> profiles.observeBlock(entity, b, now));
            }
            String sourceName = p.checker.source().name();
            quarantine.add(p.rejects);
            events.write(sourceName, blocks, p.places == null ? null : p.places.build());
            if (idempotencyKey != null) {
                ledger.addAccepted(sourceName, idempotencyKey, p.acceptedIndexes.build());
            }
            quality.accepted(p.checker.source(), p.rows);
            quality.judged(p.checker.source(), p.results); // after the window's records are durable; a block failure trips
            accepted += p.rows + p.already;
            alreadyStored += p.already;
            rejected += p.rejects.size();
            acceptedCounter.increment(p.rows);
            rejectedCounter.increment(p.rejects.size());
            rates.computeIfAbsent(sourceName, k -> new RecentRate(clock)).add(p.rows);
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
            synchronized (listed) {
                List<Rejection> out = new ArrayList<>(listed);
                if (followSchema) {
                    out.sort(java.util.Comparator.comparingLong(Rejection::index)); // held records are judged at their write
                }
                return out;
            }
        }

        public String origin() {
            return origin;
        }
    }

    /** Records checked but not yet written, laid out for the definition they were checked against. */
    public static final class Pending {
        private Checker checker;
        final Map<String, EventBlock.Builder> blocks = new HashMap<>();
        /** Records waiting for the next write to be checked (see {@link Batch#followSchemaChanges()}). */
        private List<Held> held = new ArrayList<>();
        final List<QuarantinedRecord> rejects = new ArrayList<>();
        final List<QualityResult> results = new ArrayList<>();
        final Ranges.Builder acceptedIndexes = new Ranges.Builder();
        Places.Builder places; // when records carry places
        int rows;
        int already;

        private Pending(Checker checker) {
            this.checker = checker;
        }

        /** Lays the events collected so far out for {@code next}'s columns, and checks later records against it. */
        private void follow(Checker next) {
            List<String> names = next.validator().columns();
            List<ColumnType> types = next.validator().columnTypes();
            blocks.replaceAll((entity, b) -> b.reshaped(names, types));
            checker = next;
        }

        /** Records accepted: new ones and those already stored under the batch's idempotency key. */
        public int accepted() {
            return rows + already;
        }

        public List<QuarantinedRecord> rejects() {
            return rejects;
        }
    }
}
