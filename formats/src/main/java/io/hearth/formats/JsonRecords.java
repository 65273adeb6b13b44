package io.hearth.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reading JSON records as a body streams in. Splits a JSON array of records (or records one after another) into
 * each record's bytes with Jackson's non-blocking parser, and reads one record (a JSON object, from that split or
 * from an NDJSON line) by one rule for every path: a record is an object with no key twice; numbers of any size
 * arrive as they were written (the schema then decides whether they fit).
 */
public final class JsonRecords {
    /** Reads records: duplicate keys refused, since which value was meant cannot be known. */
    private static final ObjectMapper RECORDS = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Where split records go. */
    public interface Sink {
        /** The bytes of one object or array standing where a record should be. */
        void record(byte[] json);

        /** A number, string, boolean or null standing where a record should be, as text. */
        void notObject(String raw);
    }

    /** One record read: the fields, or the rule it broke and why. */
    public sealed interface Read permits Fields, Broken {
    }

    public record Fields(Map<String, Object> fields) implements Read {
    }

    public record Broken(String field, String rule, String message) implements Read {
    }

    /** A record past the size limit. */
    public static final class TooLong extends RuntimeException {
        TooLong(int max) {
            super("a record is longer than " + max + " bytes");
        }
    }

    /** Reads one record from its bytes. */
    @SuppressWarnings("unchecked")
    public static Read read(byte[] json) {
        Object v;
        try {
            v = RECORDS.readValue(json, Object.class);
        } catch (StreamConstraintsException e) {
            return new Broken(null, "json.limits", "the record is past what Hearth reads: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Duplicate field '")) {
                String field = m.substring("Duplicate field '".length(), Math.max("Duplicate field '".length(),
                    m.lastIndexOf('\'')));
                return new Broken(field, "json.duplicate_key", "key '" + field + "' appears twice in the record");
            }
            return new Broken(null, "json.syntax", "not valid JSON: " + m);
        } catch (IOException e) {
            return new Broken(null, "json.syntax", "not valid JSON: " + e.getMessage().split("\n")[0]);
        }
        if (v instanceof Map<?, ?> m) {
            return new Fields((Map<String, Object>) m);
        }
        return new Broken(null, "json.not_object", "a record must be a JSON object"
            + (v instanceof java.util.List ? ", not an array" : ""));
    }

    private final int maxRecordBytes;
    private final Sink sink;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    /** Bytes not yet handed out: buf[0] is at {@code bufStart} in the body. */
    private byte[] buf = new byte[8192];
    private int len;
    private long bufStart;
    private int depth;
    /** Depth at which records stand: 0 for records one after another, 1 inside a top-level array. */
    private int level = -1;

    public JsonRecords(int maxRecordBytes, Sink sink) {
        this.maxRecordBytes = maxRecordBytes;
        this.sink = sink;
        try {
            this.parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Feeds the next chunk; whole records go to the sink. Throws {@link IOException} when the body is not JSON. */
    public void feed(byte[] chunk) throws IOException {
        if (len + chunk.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + chunk.length));
        }
        System.arraycopy(chunk, 0, buf, len, chunk.length);
        len += chunk.length;
        feeder.feedInput(chunk, 0, chunk.length);
        pump();
        if (depth > levelOrZero() && len > maxRecordBytes) {
            throw new TooLong(maxRecordBytes);
        }
    }

    /** The end of the body. Throws {@link IOException} when it ends inside a value. */
    public void end() throws IOException {
        feeder.endOfInput();
        pump();
        if (depth != 0) {
            throw new JsonParseException(parser, "the body ends inside an unfinished JSON value");
        }
    }

    private int levelOrZero() {
        return Math.max(level, 0);
    }

    /**
     * Hands out the values that are complete. A value's bytes run from its first bracket to its last: the parser's
     * position is one past a bracket when it returns the bracket's token (its token-start offsets are not used).
     */
    private void pump() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            long at = parser.currentLocation().getByteOffset();
            if (level < 0) { // the first token says how records stand
                level = t == JsonToken.START_ARRAY ? 1 : 0;
                if (level == 1) {
                    depth = 1;
                    consumedTo(at);
                    continue;
                }
            }
            if (t.isStructStart()) {
                if (depth == level) {
                    consumedTo(at - 1); // the value starts at its bracket
                }
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
                if (depth < level) { // the top-level array closed: records may follow one after another
                    level = -1;
                    consumedTo(at);
                } else if (depth == level) {
                    sink.record(Arrays.copyOfRange(buf, 0, (int) (at - bufStart)));
                    consumedTo(at);
                }
            } else if (t.isScalarValue() && depth == level) {
                sink.notObject(parser.getText());
                consumedTo(Math.min(at, bufStart + len)); // at most where the parser is: nothing after it is dropped
            }
        }
    }

    /** Forgets the bytes before {@code offset}: nothing before it is needed again. */
    private void consumedTo(long offset) {
        int drop = (int) (offset - bufStart);
        System.arraycopy(buf, drop, buf, 0, len - drop);
        len -= drop;
        bufStart = offset;
    }
}
