package io.hearth.gateway.serving;

import io.hearth.node.serving.OnlineLookup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.time.Timestamps;
import io.hearth.feedback.Feedback;
import io.hearth.feedback.LogRecord;
import io.hearth.feedback.RequestIds;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.node.store.RegistrySnapshot;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;

/**
 * The two lookup endpoints. {@code POST /get-online-features} speaks Feast's feature server JSON (entity
 * columns first, short names unless {@code full_feature_names}, epoch zero for missing timestamps).
 * {@code POST /v1/features/online} takes the same request and answers in the same column-major shape with
 * Hearth's defaults: full names ({@code view__feature}), null timestamps when there is no event, and the
 * {@code as_of} time the values hold at. Both carry a request id ({@code X-Request-Id}, echoed) and may name the
 * model asking; a lookup by feature service is handed to the feedback loop ({@link Feedback#served}), which logs it
 * when the service logs and the request id is sampled, after the values are computed and off the answer's path.
 */
public final class LookupRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Doubles written by Schubfach (shortest form that reads back the same) rather than Double.toString. */
    private static final com.fasterxml.jackson.core.JsonFactory FACTORY = com.fasterxml.jackson.core.JsonFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
    private static final SerializableString EPOCH_ZERO = new SerializedString("1970-01-01T00:00:00Z");
    /** Status names with their JSON bytes computed once: a 100 x 50 answer writes 5,000 of them. */
    private static final SerializableString[] STATUS_NAMES = java.util.Arrays.stream(Status.values())
        .map(x -> new SerializedString(x.name())).toArray(SerializableString[]::new);
    /** Field names written per entity or feature, quoted and encoded once (a String is checked for escapes each time). */
    private static final SerializableString VALUES = new SerializedString("values");
    private static final SerializableString STATUSES = new SerializedString("statuses");
    private static final SerializableString EVENT_TIMESTAMPS = new SerializedString("event_timestamps");
    private static final SerializableString EVENT_TS = new SerializedString("event_ts");
    private static final SerializableString PRESENT = STATUS_NAMES[Status.PRESENT.ordinal()];

    private final Vertx vertx;
    private final RegistrySnapshot registry;
    private final OnlineLookup lookup;
    private final Feedback feedback;
    private final Clock clock;
    private final EnumMap<Status, Counter> statusCounters = new EnumMap<>(Status.class);
    private final Timer feastTimer;
    private final Timer hearthTimer;
    private final DistributionSummary entitiesPerRequest;
    private final DeprecationHeaders deprecations = new DeprecationHeaders();
    private final LookupPlan.Cache plans = new LookupPlan.Cache();
    private final io.hearth.gateway.catalog.FeatureUsage usage;

    /** An answer's bytes and the deprecation headers it goes out with. */
    private record Answer(Buffer body, DeprecationHeaders.Headers deprecation) {
    }

    public LookupRoutes(Vertx vertx, RegistrySnapshot registry, OnlineLookup lookup, Feedback feedback, Clock clock,
                        MeterRegistry meters, io.hearth.gateway.catalog.FeatureUsage usage) {
        this.vertx = vertx;
        this.usage = usage;
        this.registry = registry;
        this.lookup = lookup;
        this.feedback = feedback;
        this.clock = clock;
        for (Status s : Status.values()) {
            statusCounters.put(s, Counter.builder("hearth.lookup.values").description("Feature values served, by status")
                .tag("status", s.name()).register(meters));
        }
        feastTimer = latency(meters, "get-online-features");
        hearthTimer = latency(meters, "v1-features-online");
        entitiesPerRequest = DistributionSummary.builder("hearth.lookup.entities")
            .description("Entities per lookup request").register(meters);
    }

    private static Timer latency(MeterRegistry meters, String endpoint) {
        return Timer.builder("hearth.lookup.latency").description("Lookup latency, request parsed to response written")
            .tag("endpoint", endpoint).publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(2)).register(meters);
    }

    public void feast(RoutingContext ctx) {
        handle(ctx, true);
    }

    public void hearth(RoutingContext ctx) {
        handle(ctx, false);
    }

    /**
     * Whether every lookup runs on the event loop (system property {@code hearth.lookup.eventLoop}, off by default):
     * only for measuring the thread model. By default only small local lookups do ({@link #onEventLoop}).
     */
    private static final boolean ON_EVENT_LOOP = Boolean.getBoolean("hearth.lookup.eventLoop");
    /**
     * Most entities a lookup may have to run on the event loop: a few index reads from page memory take a few
     * microseconds each, less than the hop to a worker and back (10-20 us); a batch is worth the hop.
     */
    static final int EVENT_LOOP_MAX_ENTITIES = 4;

    /**
     * The request id of a lookup: the caller's {@code X-Request-Id} (checked: it travels in URL paths), or a new UUIDv7.
     * It is echoed in the answer's {@code X-Request-Id} either way, on errors too, and decides whether the lookup is
     * logged.
     */
    static final String REQUEST_ID = "X-Request-Id";

    private void handle(RoutingContext ctx, boolean feast) {
        long t0 = System.nanoTime();
        Timer timer = feast ? feastTimer : hearthTimer;
        String given = ctx.request().getHeader(REQUEST_ID);
        String requestId = given != null ? RequestIds.check(given, REQUEST_ID) : RequestIds.generate(clock);
        ctx.response().putHeader(REQUEST_ID, requestId);
        String headerModel = ctx.request().getHeader("X-Model");
        String headerVersion = ctx.request().getHeader("X-Model-Version");
        JsonNode body = Bodies.json(ctx);
        io.vertx.core.Future<Answer> answer;
        if (ON_EVENT_LOOP || !registry.ready()) {
            // everything on one thread: the event loop when measuring, else a worker (the definitions are not in
            // memory yet, reading them waits for the grid)
            java.util.concurrent.Callable<Answer> work = () -> {
                RegistryStore.Version current = registry.current().orElse(null);
                LookupRequest req = parse(body, current, feast, headerModel, headerVersion);
                return answer(requestId, current, req, feast);
            };
            answer = ON_EVENT_LOOP ? now(work) : vertx.executeBlocking(work, false);
        } else {
            // The definitions are in memory: the request is checked here, and runs here too when it is small and
            // local; the rest waits for the grid on a worker.
            RegistryStore.Version current = registry.current().orElse(null);
            LookupRequest req;
            try {
                req = parse(body, current, feast, headerModel, headerVersion);
            } catch (RuntimeException e) {
                ctx.fail(e);
                return;
            }
            java.util.concurrent.Callable<Answer> work = () -> answer(requestId, current, req, feast);
            answer = onEventLoop(req) ? now(work) : vertx.executeBlocking(work, false);
        }
        answer.onSuccess(a -> {
            var response = ctx.response().putHeader("Content-Type", "application/json");
            if (a.deprecation().deprecation() != null) {
                response.putHeader("Deprecation", a.deprecation().deprecation());
                if (a.deprecation().sunset() != null) {
                    response.putHeader("Sunset", a.deprecation().sunset());
                }
                if (a.deprecation().link() != null) {
                    response.putHeader("Link", a.deprecation().link());
                }
            }
            response.end(a.body());
            timer.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        }).onFailure(ctx::fail);
    }

    private static io.vertx.core.Future<Answer> now(java.util.concurrent.Callable<Answer> work) {
        try {
            return io.vertx.core.Future.succeededFuture(work.call());
        } catch (Exception e) {
            return io.vertx.core.Future.failedFuture(e);
        }
    }

    private LookupRequest parse(JsonNode body, RegistryStore.Version current, boolean feast, String headerModel,
                                String headerVersion) {
        Definitions defs = current == null ? Definitions.empty() : current.definitions();
        return LookupRequest.parse(body, defs, plans.of(defs), !feast).withModelHeaders(headerModel, headerVersion);
    }

    /**
     * Whether a lookup runs on the event loop: a read of now (an as-of read may reach back over many blocks) of at
     * most {@value #EVENT_LOOP_MAX_ENTITIES} entities whose events are all primary on this node (nothing waits for
     * another node), by a feature service whose log never makes a lookup wait for room in its queue.
     */
    private boolean onEventLoop(LookupRequest req) {
        if (req.asOf() != null || req.size() > EVENT_LOOP_MAX_ENTITIES) {
            return false;
        }
        if (req.service() != null) {
            io.hearth.catalog.FeatureLogging logging = req.plan().defs.featureService(req.service()).orElseThrow().logging();
            if (logging.isOn() && logging.onOverload() != io.hearth.catalog.FeatureLogging.Overload.DROP) {
                return false;
            }
        }
        return lookup.primaryHere(req.plan().evaluation, req.entityKeys());
    }

    private Answer answer(String requestId, RegistryStore.Version current, LookupRequest req, boolean feast) {
        Definitions defs = current == null ? Definitions.empty() : current.definitions();
        long now = clock.millis();
        long t = req.asOf() != null ? req.asOf() : now;
        if (req.asOf() != null) {
            checkRetention(req.plan(), t, now);
        }
        FeatureValue[][] values = lookup.lookup(req.plan().evaluation, req.entityKeys(), t);
        usage.served(req.service(), req.features(), now); // counters in memory; flushed to the grid elsewhere
        if (req.service() != null) {
            feedback.served(new LogRecord(requestId, req.service(), current.version(),
                java.util.Optional.ofNullable(req.model()), java.util.Optional.ofNullable(req.modelVersion()),
                req.asOf() == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(req.asOf()), now,
                req.joinKeys(), req.keyValues(), req.features(), values),
                defs.featureService(req.service()).orElseThrow(), defs);
        }
        return new Answer(req.compact() ? writeCompact(req, values, t) : write(req, values, t, feast),
            deprecations.of(defs, req));
    }

    /**
     * An as-of read is exact only inside the retention of every source it reads: older events may have been
     * compacted away, so an earlier {@code as_of} is refused rather than answered from what is left.
     */
    private static void checkRetention(LookupPlan plan, long t, long now) {
        for (io.hearth.catalog.Source s : plan.viewSources) {
            if (s.retentionMillis() > 0 && t < now - s.retentionMillis()) {
                throw ApiException.invalid("as_of", "retention", "as_of " + Timestamps.format(t) + " is before the "
                    + "retention of source '" + s.name() + "' (" + io.hearth.catalog.Durations.format(s.retentionMillis())
                    + "): answers are exact from " + Timestamps.format(now - s.retentionMillis())
                    + " on, and older events may have been compacted away");
            }
        }
    }

    private Buffer write(LookupRequest req, FeatureValue[][] values, long t, boolean feast) {
        LookupPlan plan = req.plan();
        entitiesPerRequest.record(req.size());
        long[] statuses = new long[Status.values().length];
        Texts texts = new Texts();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * req.size() * (values.length + 1));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            writeNames(g, "feature_names", req);
            if (!feast) {
                g.writeStringField("as_of", Timestamps.format(t));
            }
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            for (List<Object> keyCol : req.keyValues()) {
                g.writeStartObject();
                arrayField(g, VALUES);
                for (Object v : keyCol) {
                    writeValue(g, v, null, texts);
                }
                g.writeEndArray();
                arrayField(g, STATUSES);
                for (int i = 0; i < keyCol.size(); i++) {
                    g.writeString(PRESENT);
                }
                g.writeEndArray();
                arrayField(g, EVENT_TIMESTAMPS);
                for (int i = 0; i < keyCol.size(); i++) {
                    if (feast) {
                        g.writeString(EPOCH_ZERO);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            for (int f = 0; f < values.length; f++) {
                ColumnType type = plan.outputTypes[f];
                g.writeStartObject();
                arrayField(g, VALUES);
                for (FeatureValue v : values[f]) {
                    writeValue(g, v.value(), type, texts);
                }
                g.writeEndArray();
                arrayField(g, STATUSES);
                for (FeatureValue v : values[f]) {
                    g.writeString(STATUS_NAMES[v.status().ordinal()]);
                    statuses[v.status().ordinal()]++;
                }
                g.writeEndArray();
                arrayField(g, EVENT_TIMESTAMPS);
                for (FeatureValue v : values[f]) {
                    if (v.hasTime()) {
                        g.writeString(texts.format(v.eventTs()));
                    } else if (feast) {
                        g.writeString(EPOCH_ZERO);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        countStatuses(statuses);
        return Buffer.buffer(out.toByteArray());
    }

    /** Starts the array field {@code name}, its name encoded once. */
    private static void arrayField(JsonGenerator g, SerializableString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
    }

    /**
     * The compact shape: one row per entity (join key values, then feature values in request order), one event
     * time per entity and view (the latest event any of the view's values came from), and statuses only where
     * they are not PRESENT. A 100 x 50 answer is about a third of the column-major one.
     */
    private Buffer writeCompact(LookupRequest req, FeatureValue[][] values, long t) {
        entitiesPerRequest.record(req.size());
        long[] statuses = new long[Status.values().length];
        Texts texts = new Texts();
        LookupPlan plan = req.plan();
        List<String> views = plan.views;
        int[] viewOf = plan.viewOf;
        ColumnType[] types = plan.outputTypes;
        SerializableString[] names = plan.names(req.fullFeatureNames());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 24 * req.size() * (values.length + views.size() + 1));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("as_of", Timestamps.format(t));
            writeNames(g, "columns", req);
            g.writeArrayFieldStart("views");
            for (String v : views) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("rows");
            long[] latest = new long[views.size()];
            for (int e = 0; e < req.size(); e++) {
                g.writeStartObject();
                arrayField(g, VALUES);
                for (List<Object> keyCol : req.keyValues()) {
                    writeValue(g, keyCol.get(e), null, texts);
                }
                java.util.Arrays.fill(latest, FeatureValue.NO_TIME);
                boolean allPresent = true;
                for (int f = 0; f < values.length; f++) {
                    FeatureValue v = values[f][e];
                    writeValue(g, v.value(), types[f], texts);
                    statuses[v.status().ordinal()]++;
                    allPresent &= v.status() == Status.PRESENT;
                    if (v.hasTime() && (latest[viewOf[f]] == FeatureValue.NO_TIME || v.eventTs() > latest[viewOf[f]])) {
                        latest[viewOf[f]] = v.eventTs();
                    }
                }
                g.writeEndArray();
                arrayField(g, EVENT_TS);
                for (long ts : latest) {
                    if (ts == FeatureValue.NO_TIME) {
                        g.writeNull();
                    } else {
                        g.writeString(texts.format(ts));
                    }
                }
                g.writeEndArray();
                if (!allPresent) {
                    g.writeFieldName(STATUSES);
                    g.writeStartObject();
                    for (int f = 0; f < values.length; f++) {
                        if (values[f][e].status() != Status.PRESENT) {
                            g.writeFieldName(names[f]);
                            g.writeString(STATUS_NAMES[values[f][e].status().ordinal()]);
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        countStatuses(statuses);
        return Buffer.buffer(out.toByteArray());
    }

    /** The answer's column names: join keys, then features (full or short names, as the request asked). */
    private static void writeNames(JsonGenerator g, String field, LookupRequest req) throws IOException {
        g.writeArrayFieldStart(field);
        for (SerializableString k : req.plan().joinKeyNames) {
            g.writeString(k);
        }
        for (SerializableString name : req.plan().names(req.fullFeatureNames())) {
            g.writeString(name);
        }
        g.writeEndArray();
    }

    /** Counted per response, not per value: a 100 x 50 answer would otherwise add to a meter 5,000 times. */
    private void countStatuses(long[] statuses) {
        for (Status st : Status.values()) {
            if (statuses[st.ordinal()] > 0) {
                statusCounters.get(st).increment(statuses[st.ordinal()]);
            }
        }
    }

    /**
     * What one answer's writer reuses: event times, each formatted once (the values of one entity and view share
     * their event time, so a 100 x 50 answer has a few hundred distinct times among 5,000 values), and room for the
     * text of a number ({@link DecimalText}).
     */
    private static final class Texts {
        private final java.util.HashMap<Long, SerializableString> seen = new java.util.HashMap<>();
        private final char[] number = new char[DecimalText.MAX_CHARS];

        SerializableString format(long ts) {
            return seen.computeIfAbsent(ts, x -> new SerializedString(Timestamps.format(x)));
        }
    }

    static ColumnType outputType(Definitions defs, FeatureRef r) {
        return OnlineLookup.outputType(defs, r);
    }

    private static void writeValue(JsonGenerator g, Object v, ColumnType type, Texts texts) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (type == ColumnType.TIMESTAMP && v instanceof Long l) {
            g.writeString(Timestamps.format(l));
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            int n = DecimalText.format(d, texts.number);
            if (n < 0) {
                g.writeNumber(d);
            } else {
                g.writeRawValue(texts.number, 0, n);
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }
}
