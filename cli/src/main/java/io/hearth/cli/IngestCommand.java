package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.formats.Csv;
import io.hearth.formats.ParquetIn;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth ingest}: back-fills files into a source through {@code POST /v1/ingest/{source}}, in NDJSON
 * batches that are each acknowledged on their own. Every batch carries an idempotency key derived from the file's
 * content (SHA-256) and the index of its first row, so a re-run, or a run resumed after a failure, stores each
 * row once even for sources without an id field.
 */
@Command(name = "ingest", description = "Back-fill CSV (with a header), NDJSON or Parquet files, or directories of them, "
    + "into a source, in batches. Rows that break the source's schema or contract go to quarantine and are listed. "
    + "Re-running the same files changes nothing.")
final class IngestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--source", required = true, description = "Source to ingest into.")
    String source;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "CSV (.csv), NDJSON (.ndjson, .jsonl, .json) or "
        + "Parquet (.parquet) files; a directory means every such file under it, in name order.")
    List<Path> paths;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--batch", description = "Rows per request (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int batch;

    @Option(names = "--fail-on-reject", description = "Exit with status 3 when any row is rejected (for scripts); "
        + "without it, only a run whose every row was rejected does.")
    boolean failOnReject;

    /** The exit status of a run with rejected rows that counts as failed. */
    static final int EXIT_REJECTED = 3;

    @Option(names = "--show-rejections", description = "How many rejected rows to print (default: ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int show;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            System.err.println("--batch must be at least 1");
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(f -> format(f) != null).sorted().forEach(files::add);
                }
            } else if (!Files.isRegularFile(p)) {
                System.err.println("no such file or directory: " + p);
                return 1;
            } else if (format(p) == null) {
                System.err.println(p + ": unknown format; use .csv (with a header), .ndjson, .jsonl, .json or .parquet");
                return 2;
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            System.err.println("no .csv, .ndjson, .jsonl, .json or .parquet files in " + paths);
            return 1;
        }
        GatewayClient http = client.client();
        long received = 0;
        long fresh = 0;
        long already = 0;
        long rejected = 0;
        int shown = 0;
        long t0 = System.nanoTime();
        for (Path file : files) {
            String key = "file:" + sha256(file);
            Progress progress = new Progress(file.getFileName().toString());
            long offset = 0;
            try (Rows rows = open(file)) {
                while (rows.hasNext()) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    body.write(rows.header());
                    int n = 0;
                    while (n < batch && rows.hasNext()) {
                        body.write(rows.next().getBytes(StandardCharsets.UTF_8));
                        body.write('\n');
                        n++;
                    }
                    JsonNode r;
                    try {
                        r = http.send("POST", "/v1/ingest/" + source + "?idempotency_key="
                            + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&first_index=" + offset,
                            rows.contentType(), body.toByteArray());
                    } catch (GatewayClient.CallFailed e) {
                        progress.done();
                        if (e.status >= 400 && e.status < 500) { // the request itself is wrong: running it again will not help
                            System.err.println("hearth ingest: " + e.detail());
                            return 1;
                        }
                        System.err.println("hearth ingest: " + file + ": rows " + (offset + 1) + ".." + (offset + n)
                            + " not acknowledged (" + e.getMessage() + "); the rows before them are stored, and running "
                            + "the same command again resumes without storing any row twice");
                        return 1;
                    }
                    received += r.get("received").asLong();
                    already += r.path("already_stored").asLong();
                    fresh += r.get("accepted").asLong() - r.path("already_stored").asLong();
                    rejected += r.get("rejected").asLong();
                    for (JsonNode rej : r.get("rejections")) {
                        if (shown++ < show) {
                            progress.clear();
                            System.err.printf("  %s row %d: %s [%s]%n", file.getFileName(), rej.get("index").asLong() + 1,
                                rej.get("message").asText(), rej.get("rule").asText());
                        }
                    }
                    offset += n;
                    progress.update(offset);
                }
            } catch (UncheckedIOException | com.fasterxml.jackson.databind.RuntimeJsonMappingException e) {
                progress.done();
                Throwable why = e instanceof UncheckedIOException u ? u.getCause() : e;
                System.err.println("hearth ingest: " + file + ": cannot read row " + (offset + 1) + " onwards: "
                    + Csv.reason(why));
                return 1;
            }
            progress.done();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%,d new, %,d already stored, %,d rejected, from %d file%s in %.1f s%s%n", fresh, already,
            rejected, files.size(), files.size() == 1 ? "" : "s", s, rejected == 0 ? ""
                : " (rejected rows are in quarantine: ./hearth quarantine --source " + source + ")");
        if (received > 0 && rejected == received) {
            System.err.println("hearth ingest: every row was rejected; see the reasons above (is it the right source?)");
            return EXIT_REJECTED;
        }
        if (failOnReject && rejected > 0) {
            System.err.println("hearth ingest: " + rejected + " row" + (rejected == 1 ? " was" : "s were") + " rejected "
                + "(--fail-on-reject)");
            return EXIT_REJECTED;
        }
        return 0;
    }

    private static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
            return "ndjson";
        }
        return name.endsWith(".parquet") ? "parquet" : null;
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

    /**
     * A file's rows as lines of a request body: CSV rows re-encoded by {@link Csv}'s rules (sent as {@code text/csv}
     * with the header before each batch, so that the gateway reads empty cells as every CSV path does), or NDJSON.
     */
    interface Rows extends Iterator<String>, Closeable {
        /** What each request body starts with (the CSV header line), possibly nothing. */
        default byte[] header() {
            return new byte[0];
        }

        default String contentType() {
            return "application/x-ndjson";
        }
    }

    private static Rows open(Path file) throws IOException {
        switch (format(file)) {
            case "csv" -> {
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
            case "parquet" -> {
                ParquetIn in = new ParquetIn(file);
                return rows(in, in);
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
        java.io.StringWriter w = new java.io.StringWriter();
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

    /** Rows as maps (Parquet values: timestamps as epoch millis) written as JSON lines. */
    private static Rows rows(Iterator<? extends Map<String, ?>> it, AutoCloseable resource) {
        return new Rows() {
            public boolean hasNext() {
                return it.hasNext();
            }

            public String next() {
                try {
                    return JSON.writeValueAsString(it.next());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            public void close() throws IOException {
                try {
                    resource.close();
                } catch (IOException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        };
    }

    /** One terminal line of progress: rows sent and rate, redrawn in place. */
    static final class Progress {
        private final String label;
        private final long t0 = System.nanoTime();
        private final boolean tty = System.console() != null;

        Progress(String label) {
            this.label = label;
        }

        void update(long rows) {
            if (tty) {
                double s = (System.nanoTime() - t0) / 1e9;
                System.err.printf("\r  %s: %,d rows, %,.0f rows/s   ", label, rows, rows / Math.max(s, 1e-3));
            }
        }

        void clear() {
            if (tty) {
                System.err.print("\r" + " ".repeat(70) + "\r");
            }
        }

        void done() {
            if (tty) {
                System.err.println();
            }
        }
    }
}
