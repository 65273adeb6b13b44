package io.hearth.gateway.ingest;

import io.hearth.formats.JsonRecords;
import io.hearth.ingest.Breakers;
import io.hearth.ingest.IngestPipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.time.Timestamps;
import io.hearth.formats.CsvRecords;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.catalog.ErrorCode;
import io.hearth.gateway.http.Problems;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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

    private enum BodyFormat { JSON, NDJSON, CSV }

    public IngestRoutes(Vertx vertx, IngestPipeline pipeline, Breakers breakers, long maxBodyBytes) {
        this.vertx = vertx;
        this.pipeline = pipeline;
        this.breakers = breakers;
        this.maxBodyBytes = maxBodyBytes;
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String type = Bodies.mediaType(req.getHeader("Content-Type"));
        BodyFormat format = switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" ->
                BodyFormat.NDJSON;
            case "application/json" -> BodyFormat.JSON;
            case "text/csv" -> BodyFormat.CSV;
            default -> throw ApiException.unsupportedMediaType(type.isEmpty() ? "(none)" : type,
                "application/json (an array of records), application/x-ndjson (a record per line) or text/csv "
                    + "(a header, then a record per line)");
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
            IngestPipeline.Batch batch = pipeline.open(sourceName, "http:" + requestId).followSchemaChanges();
            if (key != null) {
                batch.idempotent(key, base);
            }
            boolean probe = breakers.admitRequest(sourceName);
            return new Stream(ctx, batch, requestId, format, probe);
        }, false).onSuccess(Stream::start).onFailure(ctx::fail);
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.TOO_LARGE, "body", "body.size", "request body is over the limit of "
            + maxBodyBytes + " bytes; split it into several requests");
    }

    /** Marks a request halted by a failed block expectation until the breaker's refusal replaces it. */
    private static final RuntimeException HALTED = new RuntimeException("halted by a failed expectation", null, false,
        false) {
    };

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

        private final boolean probe;

        private List<String> csvHeader;

        Stream(RoutingContext ctx, IngestPipeline.Batch batch, String requestId, BodyFormat format, boolean probe) {
            this.probe = probe;
            this.ctx = ctx;
            this.req = ctx.request();
            this.batch = batch;
            this.requestId = requestId;
            if (format == BodyFormat.CSV) {
                CsvRecords records = new CsvRecords(MAX_LINE_BYTES, this::csvRecord);
                parser = b -> {
                    try {
                        records.feed(b.getBytes());
                    } catch (CsvRecords.TooLong e) {
                        fail(new ApiException(ErrorCode.TOO_LARGE, "body", "line.size", e.getMessage()));
                    }
                };
                endParser = records::end;
            } else if (format == BodyFormat.NDJSON) {
                RecordParser rp = RecordParser.newDelimited("\n");
                rp.maxRecordSize(MAX_LINE_BYTES);
                rp.handler(this::line);
                rp.exceptionHandler(e -> fail(new ApiException(ErrorCode.TOO_LARGE, "body", "line.size",
                    "a line is longer than " + MAX_LINE_BYTES + " bytes")));
                parser = rp::handle;
                endParser = () -> rp.handle(Buffer.buffer("\n")); // the last line may lack its newline
            } else {
                JsonRecords records = new JsonRecords(MAX_LINE_BYTES, new JsonRecords.Sink() {
                    public void record(byte[] json) {
                        if (fault == null) {
                            Stream.this.record(json);
                        }
                    }

                    public void notObject(String raw) {
                        if (fault == null) {
                            batch.reject(null, "json.not_object", "a record must be a JSON object", raw);
                        }
                    }
                });
                parser = b -> {
                    try {
                        records.feed(b.getBytes());
                    } catch (JsonRecords.TooLong e) {
                        fail(new ApiException(ErrorCode.TOO_LARGE, "body", "line.size", e.getMessage()));
                    } catch (IOException e) {
                        fail(e);
                    }
                };
                endParser = () -> {
                    try {
                        records.end();
                    } catch (IOException e) {
                        fail(e);
                    }
                };
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
            byte[] bytes = b.getBytes();
            int n = bytes.length;
            if (n > 0 && bytes[n - 1] == '\r') {
                bytes = java.util.Arrays.copyOf(bytes, n - 1);
            }
            if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
                return;
            }
            record(bytes);
        }

        /** One record's bytes (an NDJSON line, or a value of a JSON body), read by {@link JsonRecords#read}. */
        private void record(byte[] json) {
            JsonRecords.Read r = JsonRecords.read(json);
            if (r instanceof JsonRecords.Fields f) {
                batch.add(f.fields(), () -> new String(json, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                JsonRecords.Broken x = (JsonRecords.Broken) r;
                batch.reject(x.field(), x.rule(), x.message(), new String(json, java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        /** One CSV record: the first is the header, each later one a row named by it. */
        private void csvRecord(byte[] record) {
            if (fault != null) {
                return;
            }
            String text = CsvRecords.text(record);
            if (text.isBlank()) {
                return;
            }
            String[] cells;
            try {
                cells = CsvRecords.cells(record);
            } catch (IllegalArgumentException e) {
                if (csvHeader == null) {
                    fail(ApiException.invalid("header", "csv.syntax", "the CSV header is " + e.getMessage()));
                } else {
                    batch.reject(null, "csv.syntax", e.getMessage(), text);
                }
                return;
            }
            if (csvHeader == null) {
                String problem = CsvRecords.headerProblem(cells);
                if (problem != null) {
                    fail(ApiException.invalid("header", "csv.header", problem));
                    return;
                }
                csvHeader = List.of(cells);
                return;
            }
            if (cells.length != csvHeader.size()) {
                batch.reject(null, "csv.row_width", "the row has " + cells.length + " cells, the header has "
                    + csvHeader.size(), text);
                return;
            }
            batch.add(CsvRecords.row(csvHeader, cells), () -> text);
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
            if (fault == null && batch.refusedAfterHalt() > 0) {
                // A window failed a block expectation: what was taken is written (the breaker opens with it), and as
                // records came after the window, which were not taken, the answer is the breaker's 503.
                fault = HALTED;
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
            Throwable t = fault == HALTED ? breakers.refusal(batch.source().name()) : fault;
            if (t instanceof io.vertx.core.http.HttpClosedException) {
                return; // the client left mid-body: no one to answer, nothing went wrong here
            }
            if (t instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException c) {
                t = new ApiException(ErrorCode.MALFORMED_JSON, "body", "json.limits", "the body is past what Hearth "
                    + "reads: " + c.getOriginalMessage());
            } else if (t instanceof JsonProcessingException j) {
                t = ApiException.badJson(j.getOriginalMessage().split("\n")[0] + (j.getLocation() == null ? ""
                    : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr()));
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
                g.writeNumberField("new", batch.accepted() - batch.alreadyStored());
                g.writeNumberField("already_stored", batch.alreadyStored());
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
                if (batch.halted() != null) {
                    g.writeStringField("breaker_opened", io.hearth.quality.Quality.reason(batch.halted()));
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
