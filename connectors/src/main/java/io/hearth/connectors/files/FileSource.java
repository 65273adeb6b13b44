package io.hearth.connectors.files;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.formats.Csv;
import io.hearth.formats.ParquetIn;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * The files connector: reads a back-fill file (CSV with a header, NDJSON, or Parquet) as batches of records, each
 * batch a request body for {@code POST /v1/ingest/{source}} with the place of its records: the file's content hash
 * as idempotency key and the index of its first row. Sent in order, batches store each row once however often
 * the file is sent again, even for a source without an id field. CSV rows are re-encoded by {@link Csv}'s rules
 * and sent as {@code text/csv}, so that the gateway reads empty cells as every CSV path does; Parquet rows go as
 * NDJSON (timestamps as epoch milliseconds).
 */
public final class FileSource implements Iterator<FileSource.Batch>, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request's worth of a file's rows. */
    public record Batch(String contentType, byte[] body, String idempotencyKey, long firstIndex, int rows) {
    }

    /** The formats a file may be in, by its extension. */
    public enum Format {
        CSV, NDJSON, PARQUET;

        /** The format of a file by its name, or null when Hearth does not read it. */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
                return NDJSON;
            }
            return name.endsWith(".parquet") ? PARQUET : null;
        }
    }

    private final Rows rows;
    private final String key;
    private final int batchRows;
    private long next;

    private FileSource(Rows rows, String key, int batchRows) {
        this.rows = rows;
        this.key = key;
        this.batchRows = batchRows;
    }

    /** Opens a file for reading in batches of {@code batchRows} rows. */
    public static FileSource open(Path file, int batchRows) throws IOException {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batches need at least one row, got " + batchRows);
        }
        Format f = Format.of(file);
        if (f == null) {
            throw new IllegalArgumentException(file + ": unknown format; use .csv (with a header), .ndjson, .jsonl, .json "
                + "or .parquet");
        }
        return new FileSource(rows(file, f), "file:" + sha256(file), batchRows);
    }

    /** The files under {@code paths} Hearth reads: files as given, directories walked, in name order. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(x -> Format.of(x) != null).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** Index of the next row to read (0-based, header not counted). */
    public long position() {
        return next;
    }

    /** Whether rows are left. Throws {@link UncheckedIOException} when the file cannot be read there. */
    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    /**
     * The next batch of rows. Throws {@link UncheckedIOException} or Jackson's {@code RuntimeJsonMappingException}
     * when the file cannot be read at {@link #position()}.
     */
    @Override
    public Batch next() {
        if (!rows.hasNext()) {
            throw new NoSuchElementException();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(rows.header());
        int n = 0;
        while (n < batchRows && rows.hasNext()) {
            body.writeBytes(rows.next().getBytes(StandardCharsets.UTF_8));
            body.write('\n');
            n++;
        }
        Batch b = new Batch(rows.contentType(), body.toByteArray(), key, next, n);
        next += n;
        return b;
    }

    @Override
    public void close() throws IOException {
        rows.close();
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file's rows as lines of a request body. */
    private interface Rows extends Iterator<String>, Closeable {
        /** What each request body starts with (the CSV header line), possibly nothing. */
        default byte[] header() {
            return new byte[0];
        }

        default String contentType() {
            return "application/x-ndjson";
        }
    }

    private static Rows rows(Path file, Format format) throws IOException {
        switch (format) {
            case CSV -> {
                BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                MappingIterator<String[]> it = Csv.rows(reader);
                byte[] header = it.hasNext() ? (line(it.next()) + "\n").getBytes(StandardCharsets.UTF_8) : new byte[0];
                return new Rows() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public String next() {
                        return line(it.next());
                    }

                    public byte[] header() {
                        return header;
                    }

                    public String contentType() {
                        return "text/csv";
                    }

                    public void close() throws IOException {
                        reader.close();
                    }
                };
            }
            case PARQUET -> {
                ParquetIn in = new ParquetIn(file);
                return new Rows() {
                    public boolean hasNext() {
                        return in.hasNext();
                    }

                    public String next() {
                        try {
                            return JSON.writeValueAsString((Map<String, ?>) in.next());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    public void close() throws IOException {
                        in.close();
                    }
                };
            }
            default -> {
                BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                Iterator<String> lines = reader.lines().filter(l -> !l.isBlank()).iterator();
                return new Rows() {
                    public boolean hasNext() {
                        return lines.hasNext();
                    }

                    public String next() {
                        return lines.next();
                    }

                    public void close() throws IOException {
                        reader.close();
                    }
                };
            }
        }
    }

    /** One CSV line from cells. */
    private static String line(String[] cells) {
        StringWriter w = new StringWriter();
        try {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    w.write(',');
                }
                Csv.cell(w, cells[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
