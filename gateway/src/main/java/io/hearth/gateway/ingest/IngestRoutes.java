package io.hearth.gateway.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.ErrorCodes;
import io.hearth.gateway.http.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.JsonEventType;
import io.vertx.core.parsetools.JsonParser;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code POST /v1/ingest/{source}}: a JSON array (or concatenated JSON objects) with {@code application/json},
 * or one JSON object per line with {@code application/x-ndjson}. The body is parsed as it streams in and written
 * in batches while the connection is paused, so its size is bounded only by {@link #maxBodyBytes}, not by memory.
 * A 200 means every accepted record is durable on primary and backup and every rejected one is in quarantine.
 * A body that turns out malformed halfway gets a 4xx that says how many records before the fault were accepted.
 */
public final class IngestRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records collected before the request is paused and they are written. */
    static final int BATCH_RECORDS = 16_384;
    static final int MAX_LINE_BYTES = 1 << 20;

    private final Vertx vertx;
    private final IngestPipeline pipeline;
    private final Breakers breakers;
    private final long maxBodyBytes;

    public IngestRoutes(Vertx vertx, IngestPipeline pipeline, Breakers breakers, long maxBodyBytes) {
        this.vertx = vertx;
        this.pipeline = pipeline;
        this.breakers = breakers;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String type = Bodies.mediaType(req.getHeader("Content-Type"));
        boolean ndjson = switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" -> true;
            case "application/json" -> false;
            default -> throw ApiException.unsupportedMediaType(type.isEmpty() ? "(none)" : type,
                "application/json (an array of records) or application/x-ndjson (a record per line)");
        };
        String length = req.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ApiException.invalid("Content-Length", "header.number", "Content-Length is not a number");
            }
        }
        String sourceName = ctx.pathParam("source");
        String requestId = UUID.randomUUID().toString();
        String key = req.getParam("idempotency_key") != null ? req.getParam("idempotency_key") : req.getHeader("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 200)) {
            throw ApiException.invalid("idempotency_key", "length", "idempotency_key must be 1 to 200 characters, got "
                + key.length());
        }
        long firstIndex = 0;
        String first = req.getParam("first_index");
        if (first != null) {
            if (key == null) {
                throw ApiException.invalid("first_index", "requires", "first_index only means something with an "
                    + "idempotency_key");
            }
            try {
                firstIndex = Long.parseLong(first);
            } catch (NumberFormatException e) {
                firstIndex = -1;
            }
            if (firstIndex < 0) {
                throw ApiException.invalid("first_index", "type.non_negative", "first_index must be a whole number >= 0, got '"
                    + first + "'");
            }
        }
        long base = firstIndex;
        req.pause(); // nothing is read until the source is known
        vertx.executeBlocking(() -> {
            IngestPipeline.Batch batch = pipeline.open(sourceName, "http:" + requestId);
            if (key != null) {
                batch.idempotent(key, base);
            }
            BreakerState breaker = breakers.cached(sourceName);
            boolean probe = breaker.probeDue(breakers.now());
            if (breaker.isOpen() && !probe) {
                throw breakerOpen(sourceName, breaker, breakers.now());
            }
            return new Stream(ctx, batch, requestId, ndjson, probe);
        }, false).onSuccess(Stream::start).onFailure(ctx::fail);
    }

    static ApiException breakerOpen(String source, BreakerState b, long now) {
        long retry = Math.max(1, (b.probeAtMillis() - now + 999) / 1000);
        ApiException e = new ApiException(503, ErrorCodes.BREAKER_OPEN, "source", "breaker.open", "the circuit breaker "
            + "of source '" + source + "' is open since " + Timestamps.format(b.sinceMillis()) + " (" + b.reason()
            + "); nothing is ingested until POST /v1/sources/" + source + "/breaker/reset or a probe after "
            + Timestamps.format(b.probeAtMillis()));
        e.retryAfterSeconds(retry);
        return e;
    }

    private ApiException tooLarge() {
        return new ApiException(413, ErrorCodes.TOO_LARGE, "body", "body.size", "request body is over the limit of "
            + maxBodyBytes + " bytes; split it into several requests");
    }

    /** One request's parse-validate-write loop, all on its event loop except the writes. */
    private final class Stream {
        private final RoutingContext ctx;
        private final HttpServerRequest req;
        private final IngestPipeline.Batch batch;
        private final String requestId;
        private final Consumer<Buffer> parser;
        private final Runnable endParser;
        private long bytes;
        private boolean writing;
        private boolean ended;
        private boolean done;
        private Throwable fault;
        private int depth;        // JSON body: nesting of arrays around records
        private int skipDepth = -1;

        private final boolean probe;

        Stream(RoutingContext ctx, IngestPipeline.Batch batch, String requestId, boolean ndjson, boolean probe) {
            this.probe = probe;
            this.ctx = ctx;
            this.req = ctx.request();
            this.batch = batch;
            this.requestId = requestId;
            if (ndjson) {
                RecordParser rp = RecordParser.newDelimited("\n");
                rp.maxRecordSize(MAX_LINE_BYTES);
                rp.handler(this::line);
                rp.exceptionHandler(e -> fail(new ApiException(413, ErrorCodes.TOO_LARGE, "body", "line.size",
                    "a line is longer than " + MAX_LINE_BYTES + " bytes")));
                parser = rp::handle;
                endParser = () -> rp.handle(Buffer.buffer("\n")); // the last line may lack its newline
            } else {
                JsonParser jp = JsonParser.newParser();
                jp.objectValueMode();
                jp.handler(ev -> {
                    if (fault == null) {
                        json(ev);
                    }
                });
                jp.exceptionHandler(this::fail);
                parser = jp::handle;
                endParser = jp::end;
            }
        }

        void start() {
            req.handler(buf -> {
                if (fault != null) {
                    return;
                }
                bytes += buf.length();
                if (bytes > maxBodyBytes) {
                    fail(tooLarge());
                    return;
                }
                try {
                    parser.accept(buf);
                } catch (RuntimeException e) {
                    fail(e);
                }
                maybeWrite();
            });
            req.exceptionHandler(this::fail);
            req.endHandler(v -> {
                ended = true;
                if (fault == null) {
                    try {
                        endParser.run();
                    } catch (RuntimeException e) {
                        fail(e);
                    }
                }
                maybeWrite();
            });
            req.resume();
        }

        private void line(Buffer b) {
            if (fault != null) {
                return;
            }
            String text = b.toString(java.nio.charset.StandardCharsets.UTF_8);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isBlank()) {
                return;
            }
            Object value;
            try {
                value = JSON.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                batch.reject(null, "json.syntax", "not valid JSON: " + e.getOriginalMessage(), text);
                return;
            }
            String raw = text;
            if (value instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> row = (Map<String, ?>) m;
                batch.add(row, () -> raw);
            } else {
                batch.reject(null, "json.not_object", "a record must be a JSON object", text);
            }
        }

        private void json(io.vertx.core.parsetools.JsonEvent ev) {
            JsonEventType t = ev.type();
            if (skipDepth >= 0) { // inside an array that stands where a record should
                if (t == JsonEventType.START_ARRAY) {
                    depth++;
                } else if (t == JsonEventType.END_ARRAY && --depth == skipDepth) {
                    skipDepth = -1;
                }
                return;
            }
            switch (t) {
                case START_ARRAY -> {
                    if (depth >= 1) {
                        batch.reject(null, "json.not_object", "a record must be a JSON object, not an array", "[...]");
                        skipDepth = depth;
                    }
                    depth++;
                }
                case END_ARRAY -> depth--;
                case VALUE -> {
                    Object v = ev.value();
                    if (v instanceof JsonObject o) {
                        batch.add(o.getMap(), o::encode);
                    } else {
                        batch.reject(null, "json.not_object", "a record must be a JSON object", String.valueOf(v));
                    }
                }
                default -> {
                    // START_OBJECT/END_OBJECT/fields do not occur in object value mode
                }
            }
        }

        private void fail(Throwable t) {
            if (fault == null) {
                fault = t;
            }
            maybeWrite();
        }

        /** Starts a write when enough is collected, or at the end; answers when nothing is left to do. */
        private void maybeWrite() {
            if (writing || done) {
                return;
            }
            boolean finishing = ended || fault != null;
            if (batch.pendingCount() >= BATCH_RECORDS || (finishing && batch.pendingCount() > 0)) {
                writing = true;
                if (!ended) {
                    req.pause(); // backpressure: read no more until this batch is durable
                }
                IngestPipeline.Pending p = batch.cut();
                vertx.executeBlocking(() -> {
                    batch.write(p);
                    if (!probe) {
                        breakers.record(batch.source(), p.accepted() + p.rejects().size(), p.rejects().size());
                    }
                    return null;
                }, false).onComplete(ar -> {
                    writing = false;
                    if (ar.failed()) {
                        fault = ar.cause();
                        answer();
                        return;
                    }
                    if (!ended && fault == null) {
                        req.resume();
                    }
                    maybeWrite();
                });
                return;
            }
            if (finishing) {
                answer();
            }
        }

        private void answer() {
            if (done) {
                return;
            }
            done = true;
            if (probe && fault == null) {
                vertx.executeBlocking(() -> breakers.probe(batch.source(), batch.received(), batch.rejected()), false);
            }
            if (fault == null) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(summary());
                return;
            }
            Throwable t = fault;
            if (t instanceof io.vertx.core.json.DecodeException || t instanceof JsonProcessingException) {
                t = ApiException.badJson(t.getMessage().split("\n")[0]);
            }
            var body = Problems.body(req.path(), t);
            body.put("request_id", requestId);
            body.put("accepted_before_error", batch.accepted());
            body.put("rejected_before_error", batch.rejected());
            boolean unread = !ended; // the rest of the body will not be read: close rather than wait for it
            ctx.response().setStatusCode(body.get("status").asInt()).putHeader("Content-Type", "application/problem+json")
                .putHeader("Connection", "close").end(body.toString()).onComplete(v -> {
                    if (unread && req.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
                        ctx.response().reset(); // stop this stream's upload; other streams go on
                    } else if (unread) {
                        req.connection().close();
                    }
                });
        }

        private String summary() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("source", batch.source().name());
                g.writeStringField("request_id", requestId);
                g.writeNumberField("received", batch.received());
                g.writeNumberField("accepted", batch.accepted());
                g.writeNumberField("rejected", batch.rejected());
                g.writeArrayFieldStart("rejections");
                for (IngestPipeline.Rejection r : batch.listedRejections()) {
                    g.writeStartObject();
                    g.writeNumberField("index", r.index());
                    if (r.field() != null) {
                        g.writeStringField("field", r.field());
                    }
                    g.writeStringField("rule", r.rule());
                    g.writeStringField("message", r.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("rejections_truncated", batch.rejected() > batch.listedRejections().size());
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
