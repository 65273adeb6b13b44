package io.hearth.formats;

import com.fasterxml.jackson.databind.MappingIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Splits CSV arriving in chunks into whole records, so that a body can be parsed as it streams in: a line break
 * ends a record unless it is inside quotes (an even number of {@code "} seen so far in the record). Each record is
 * then read by {@link Csv}'s rules. Records longer than {@code maxRecordBytes} are a {@link TooLong} failure.
 */
public final class CsvRecords {
    /** A record past the size limit: a quote that never closes, or a line that is too long. */
    public static final class TooLong extends RuntimeException {
        TooLong(int max) {
            super("a CSV record is longer than " + max + " bytes (a quote that never closes?)");
        }
    }

    private final int maxRecordBytes;
    private final Consumer<byte[]> handler;
    private final ByteArrayOutputStream record = new ByteArrayOutputStream();
    private boolean inQuotes;

    public CsvRecords(int maxRecordBytes, Consumer<byte[]> handler) {
        this.maxRecordBytes = maxRecordBytes;
        this.handler = handler;
    }

    /** Feeds the next chunk; whole records go to the handler as they complete. */
    public void feed(byte[] chunk) {
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            if (b == '"') {
                inQuotes = !inQuotes;
            } else if (b == '\n' && !inQuotes) {
                append(chunk, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(chunk, start, chunk.length - start);
    }

    /** The end of the input: a last record without its line break is complete too. */
    public void end() {
        if (record.size() > 0) {
            emit();
        }
    }

    private void append(byte[] b, int off, int len) {
        if (record.size() + len > maxRecordBytes) {
            throw new TooLong(maxRecordBytes);
        }
        record.write(b, off, len);
    }

    private void emit() {
        byte[] r = record.toByteArray();
        record.reset();
        inQuotes = false;
        int n = r.length;
        if (n > 0 && r[n - 1] == '\r') {
            n--;
        }
        handler.accept(n == r.length ? r : java.util.Arrays.copyOf(r, n));
    }

    /**
     * The cells of one record by {@link Csv}'s rules; throws {@link IllegalArgumentException} with the reason when
     * the record is not valid CSV.
     */
    public static String[] cells(byte[] record) {
        String[] cells;
        boolean more;
        try (MappingIterator<String[]> it = Csv.rows(record)) {
            cells = it.hasNext() ? it.next() : new String[] {null};
            more = it.hasNext();
        } catch (RuntimeException | IOException e) {
            throw new IllegalArgumentException("not valid CSV: " + Csv.reason(e));
        }
        if (more) {
            throw new IllegalArgumentException("not valid CSV: a quote is not closed where the record ends");
        }
        return cells;
    }

    /**
     * Checks a header: every column named, none twice. Returns null when fine, else what is wrong.
     */
    public static String headerProblem(String[] header) {
        for (int i = 0; i < header.length; i++) {
            if (header[i] == null || header[i].isBlank()) {
                return "column " + (i + 1) + " of the header has no name";
            }
            for (int j = 0; j < i; j++) {
                if (header[j].equals(header[i])) {
                    return "column '" + header[i] + "' appears twice in the header";
                }
            }
        }
        return null;
    }

    /** A record's cells by header name, in header order (null cells kept as nulls). */
    public static Map<String, Object> row(List<String> header, String[] cells) {
        Map<String, Object> m = new LinkedHashMap<>(header.size() * 2);
        for (int i = 0; i < header.size(); i++) {
            m.put(header.get(i), cells[i]);
        }
        return m;
    }

    /** The text of a record, for the quarantine. */
    public static String text(byte[] record) {
        return new String(record, StandardCharsets.UTF_8);
    }
}
