package io.hearth.cluster;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventReads.EntityEvents;
import io.hearth.compute.semantics.Column;
import io.hearth.node.store.EventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A client that ingests over HTTP the way Hearth's contract tells clients to: every request carries an
 * idempotency key, and a request that fails is sent again, unchanged, with the same key until it is acknowledged.
 * Every record has a unique {@code seq}; the load remembers which requests were acknowledged, so that afterwards
 * {@link #verify} can compare what the cluster holds with what it acknowledged: nothing acknowledged missing,
 * nothing stored twice, nothing stored that was never sent. Some acknowledged requests are sent a second time on
 * purpose (a client that lost the answer would), so that double counting shows even without failures.
 *
 * <p>Writers run until {@link #stop()}, a request budget or a deadline, whichever comes first. Lookups run beside
 * them and record their error count and the longest time without a successful answer.
 */
final class IngestLoad implements AutoCloseable {
    /** The source and feature view every cluster test uses: no id field, so only the idempotency key dedupes. */
    static final String DEFINITIONS = """
        project: cluster
        entities: [{name: thing, join_keys: [thing_id]}]
        sources:
          - name: events
            entity: thing
            timestamp_field: ts
            schema: {thing_id: string, seq: long, ts: timestamp}
        feature_views:
          - name: things
            entity: thing
            source: events
            online: true
            features:
              - {name: last_seq, column: seq}
              - {name: events_total, aggregation: count, window: 3650d}
              - {name: seq_sum, aggregation: sum, column: seq, window: 3650d}
        """;
    static final String SOURCE = "events";
    static final int ENTITIES = 200;
    /** seq = load id * LOAD + writer * STRIDE + request * recordsPerRequest + i: loads on one cluster never collide. */
    static final long STRIDE = 1L << 32;
    static final long LOAD = 1L << 40;

    private final Supplier<String> gateway;
    private final String run;
    private final int id;
    private final int recordsPerRequest;
    private final long tsBase;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Thread> threads = new ArrayList<>();
    private final BitSet[] acked;
    private final int[] sent;
    private volatile boolean stopped;
    private final long deadlineNanos;
    private final int maxRequestsPerWriter;

    final AtomicLong writeAttempts = new AtomicLong();
    final AtomicLong writeFailures = new AtomicLong();
    final AtomicLong resends = new AtomicLong();
    final AtomicLong lookups = new AtomicLong();
    final AtomicLong lookupFailures = new AtomicLong();
    /** What the failed lookups answered (status and body, or the client's exception), for reports. */
    final List<String> lookupErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    /** {start, end, ok ? 1 : 0} in nanoTime of every write attempt, for failover figures. */
    final ConcurrentLinkedQueue<long[]> writeLog = new ConcurrentLinkedQueue<>();
    /** {start, end, ok ? 1 : 0} of every lookup. */
    final ConcurrentLinkedQueue<long[]> lookupLog = new ConcurrentLinkedQueue<>();
    final List<String> unacknowledged = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param gateway the base URL to send the next request to (asked again before each retry)
     * @param id distinguishes this load's keys and events from another's on the same cluster (0..200)
     */
    IngestLoad(Supplier<String> gateway, int id, int writers, int recordsPerRequest, int maxRequestsPerWriter,
               Duration maxDuration) {
        this.gateway = gateway;
        this.id = id;
        this.run = "load" + id;
        this.recordsPerRequest = recordsPerRequest;
        this.maxRequestsPerWriter = maxRequestsPerWriter;
        this.tsBase = System.currentTimeMillis() - 7_200_000;
        this.acked = new BitSet[writers];
        this.sent = new int[writers];
        for (int w = 0; w < writers; w++) {
            acked[w] = new BitSet();
        }
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
    }

    IngestLoad start(boolean withLookups) {
        for (int w = 0; w < acked.length; w++) {
            int writer = w;
            threads.add(new Thread(() -> write(writer), "writer-" + w));
        }
        if (withLookups) {
            threads.add(new Thread(this::lookUp, "lookups"));
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** Stops the writers after their current request (retries included) and waits for them. */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(180_000);
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " did not stop in 180 s");
            }
        }
    }

    /** Waits until the writers have sent their whole budget (or hit the deadline), then stops the lookups. */
    void awaitDone() throws InterruptedException {
        for (int i = 0; i < acked.length; i++) {
            threads.get(i).join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 180_000));
        }
        stop();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Requests acknowledged so far. */
    long ackedRequests() {
        long n = 0;
        for (BitSet b : acked) {
            synchronized (b) {
                n += b.cardinality();
            }
        }
        return n;
    }

    /** For a request a test sends itself: it was sent (its events may be stored). */
    void markSent(int w, int r) {
        sent[w] = Math.max(sent[w], r + 1);
    }

    /** For a request a test sends itself: it was acknowledged. */
    void markAcked(int w, int r) {
        markSent(w, r);
        synchronized (acked[w]) {
            acked[w].set(r);
        }
    }

    long ackedEvents() {
        return ackedRequests() * recordsPerRequest;
    }

    boolean done() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private boolean running() {
        return !stopped && System.nanoTime() < deadlineNanos;
    }

    private void write(int w) {
        Random rnd = new Random(w);
        for (int r = 0; r < maxRequestsPerWriter && running(); r++) {
            String key = run + "-" + w + "-" + r;
            String body = body(w, r);
            sent[w] = r + 1;
            if (send(key, body, true)) {
                synchronized (acked[w]) {
                    acked[w].set(r);
                }
                if (rnd.nextInt(20) == 0) { // the answer "got lost": the same request again
                    resends.incrementAndGet();
                    send(key, body, false);
                }
            } else {
                unacknowledged.add(key);
            }
        }
    }

    /** Sends until acknowledged (or for at most two minutes when {@code retry}); true when acknowledged. */
    private boolean send(String key, String body, boolean retry) {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long backoff = 20;
        while (true) {
            writeAttempts.incrementAndGet();
            long t0 = System.nanoTime();
            boolean ok;
            try {
                HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(gateway.get() + "/v1/ingest/"
                    + SOURCE + "?idempotency_key=" + key)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
                ok = resp.statusCode() == 200;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            writeLog.add(new long[] {t0, System.nanoTime(), ok ? 1 : 0});
            if (ok) {
                return true;
            }
            writeFailures.incrementAndGet();
            if (!retry || System.nanoTime() > giveUp) {
                return false;
            }
            try {
                Thread.sleep(backoff); // client back-off between retries, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            backoff = Math.min(500, backoff * 2);
        }
    }

    String body(int w, int r) {
        StringBuilder b = new StringBuilder(recordsPerRequest * 64);
        for (int i = 0; i < recordsPerRequest; i++) {
            long seq = id * LOAD + w * STRIDE + (long) r * recordsPerRequest + i;
            b.append("{\"thing_id\":\"").append(entity(seq)).append("\",\"seq\":").append(seq).append(",\"ts\":")
                .append(tsBase + seq % 3_600_000).append("}\n");
        }
        return b.toString();
    }

    static String entity(long seq) {
        return "t" + Math.floorMod(seq * 7919, ENTITIES);
    }

    static List<String> entities() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            out.add("t" + i);
        }
        return out;
    }

    private void lookUp() {
        long lastOk = System.nanoTime();
        while (running() && !allWritersDone()) {
            String body = "{\"features\":[\"things:events_total\",\"things:last_seq\"],\"entities\":{\"thing_id\":[\""
                + "t" + ThreadLocalRandom.current().nextInt(ENTITIES) + "\"]}}";
            long t0 = System.nanoTime();
            boolean ok;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.get() + "/v1/features/online"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                ok = r.statusCode() == 200;
                if (!ok) {
                    lookupErrors.add(r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                ok = false;
                lookupErrors.add(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            lookups.incrementAndGet();
            lookupLog.add(new long[] {t0, System.nanoTime(), ok ? 1 : 0});
            if (!ok) {
                lookupFailures.incrementAndGet();
            }
            try {
                Thread.sleep(ok ? 20 : 50); // a model server's pace, not a test wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean allWritersDone() {
        for (int i = 0; i < acked.length; i++) {
            if (threads.get(i).isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** What the comparison of acknowledged and stored events found. */
    record Check(long acked, long stored, long missing, long duplicated, long unexpected, List<String> examples) {
        boolean exact() {
            return missing == 0 && duplicated == 0 && unexpected == 0;
        }

        @Override
        public String toString() {
            return "acked " + acked + ", stored " + stored + ", missing " + missing + ", double-counted " + duplicated
                + ", never sent " + unexpected + (examples.isEmpty() ? "" : " e.g. " + examples);
        }
    }

    /**
     * Reads every event of the source back through {@code events} and compares: every event of an acknowledged
     * request stored exactly once; events of requests never acknowledged (given up) may be stored, once at most.
     */
    Check verify(EventStore events) {
        BitSet[] seen = new BitSet[acked.length];
        for (int w = 0; w < seen.length; w++) {
            seen[w] = new BitSet();
        }
        long stored = 0;
        long duplicated = 0;
        long unexpected = 0;
        List<String> examples = new ArrayList<>();
        List<String> all = entities();
        for (int from = 0; from < all.size(); from += 20) {
            Map<String, EntityEvents> read = events.read(SOURCE, all.subList(from, Math.min(all.size(), from + 20)),
                Long.MIN_VALUE + 1, Long.MAX_VALUE);
            for (EntityEvents ee : read.values()) {
                EventBlock b = ee.events();
                Column col = b.column("seq", ColumnType.LONG);
                for (int i = 0; i < b.size(); i++) {
                    long seq = col.longAt(i);
                    if (seq / LOAD != id) {
                        continue; // another load's
                    }
                    stored++;
                    int w = (int) (seq % LOAD / STRIDE);
                    long local = seq % STRIDE;
                    int r = (int) (local / recordsPerRequest);
                    if (w < 0 || w >= seen.length || r >= sent[w]) {
                        unexpected++;
                        note(examples, "never sent " + seq);
                        continue;
                    }
                    if (seen[w].get((int) local)) {
                        duplicated++;
                        note(examples, "twice " + seq + " (request " + run + "-" + w + "-" + r + ")");
                    }
                    seen[w].set((int) local);
                }
            }
        }
        long missing = 0;
        long ackedEvents = 0;
        for (int w = 0; w < acked.length; w++) {
            BitSet a;
            synchronized (acked[w]) {
                a = (BitSet) acked[w].clone();
            }
            for (int r = a.nextSetBit(0); r >= 0; r = a.nextSetBit(r + 1)) {
                for (int i = 0; i < recordsPerRequest; i++) {
                    ackedEvents++;
                    if (!seen[w].get(r * recordsPerRequest + i)) {
                        missing++;
                        note(examples, "acked but missing " + (id * LOAD + w * STRIDE + (long) r * recordsPerRequest + i)
                            + " (request " + run + "-" + w + "-" + r + ")");
                    }
                }
            }
        }
        return new Check(ackedEvents, stored, missing, duplicated, unexpected, examples);
    }

    private static void note(List<String> examples, String s) {
        if (examples.size() < 5) {
            examples.add(s);
        }
    }

    /** Share of failed write attempts; the longest time without a successful write or lookup answer, in ms. */
    String summary() {
        return String.format("writes: %d attempts, %d failed (%.2f%%), %d resent after ack, longest gap %d ms; lookups: %d,"
                + " %d failed (%.2f%%), longest gap %d ms", writeAttempts.get(), writeFailures.get(),
            100.0 * writeFailures.get() / Math.max(1, writeAttempts.get()), resends.get(), longestGapMillis(writeLog),
            lookups.get(), lookupFailures.get(), 100.0 * lookupFailures.get() / Math.max(1, lookups.get()),
            longestGapMillis(lookupLog)) + (lookupErrors.isEmpty() ? "" : "; lookup errors: "
            + lookupErrors.subList(0, Math.min(3, lookupErrors.size())));
    }

    /** Longest time between two successful completions (or from the start to the first). */
    static long longestGapMillis(java.util.Collection<long[]> log) {
        long[] ends = log.stream().filter(e -> e[2] == 1).mapToLong(e -> e[1]).sorted().toArray();
        long gap = 0;
        for (int i = 1; i < ends.length; i++) {
            gap = Math.max(gap, ends[i] - ends[i - 1]);
        }
        return gap / 1_000_000;
    }

    /**
     * Milliseconds from {@code killNanos} to the end of the first successful write that started after it (every
     * request touches entities on every node, so also on the partitions the killed node was primary for); -1 if none.
     */
    long failoverMillis(long killNanos) {
        return writeLog.stream().filter(e -> e[2] == 1 && e[0] >= killNanos).mapToLong(e -> e[1]).min()
            .stream().map(end -> (end - killNanos) / 1_000_000).findFirst().orElse(-1);
    }

    /** Failed and all write attempts that started within {@code [fromNanos, toNanos)}. */
    long[] failuresBetween(long fromNanos, long toNanos) {
        long failed = writeLog.stream().filter(e -> e[0] >= fromNanos && e[0] < toNanos && e[2] == 0).count();
        long all = writeLog.stream().filter(e -> e[0] >= fromNanos && e[0] < toNanos).count();
        return new long[] {failed, all};
    }
}
