package io.hearth.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth ingest}: sends files to {@code POST /v1/ingest/{source}} in NDJSON batches, so each batch is
 * acknowledged on its own and a re-run of a source with an id field changes nothing.
 */
@Command(name = "ingest", description = "Ingest CSV (with a header) or NDJSON files into a source, in batches. "
    + "Rows that break the source's schema or contract go to quarantine and are listed.")
final class IngestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--source", required = true, description = "Source to ingest into.")
    String source;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV (.csv) or NDJSON (.ndjson, .jsonl, .json) files.")
    List<Path> files;

    @Option(names = "--url", description = "Gateway URL (default: ${DEFAULT-VALUE}).", defaultValue = GatewayClient.DEFAULT_URL)
    String url;

    @Option(names = "--batch", description = "Rows per request (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int batch;

    @Option(names = "--show-rejections", description = "How many rejected rows to print (default: ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int show;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            System.err.println("--batch must be at least 1");
            return 2;
        }
        GatewayClient client = new GatewayClient(url);
        long accepted = 0;
        long rejected = 0;
        int shown = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                System.err.println("no such file: " + file);
                return 1;
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            Iterator<String> rows;
            BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            if (name.endsWith(".csv")) {
                CsvSchema schema = CsvSchema.emptySchema().withHeader();
                MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class).with(schema).readValues(reader);
                rows = new Iterator<>() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public String next() {
                        try {
                            return JSON.writeValueAsString(it.next());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                };
            } else if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
                rows = reader.lines().filter(l -> !l.isBlank()).iterator();
            } else if (name.endsWith(".parquet")) {
                System.err.println(file + ": Parquet backfill arrives with the issue 'Kafka streaming ingestion'; "
                    + "use CSV or NDJSON for now.");
                return 2;
            } else {
                System.err.println(file + ": unknown format; use .csv (with a header), .ndjson or .jsonl");
                return 2;
            }
            Progress progress = new Progress(file.getFileName().toString());
            long offset = 0;
            try (reader) {
                while (rows.hasNext()) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    int n = 0;
                    while (n < batch && rows.hasNext()) {
                        body.write(rows.next().getBytes(StandardCharsets.UTF_8));
                        body.write('\n');
                        n++;
                    }
                    JsonNode r;
                    try {
                        r = client.send("POST", "/v1/ingest/" + source, "application/x-ndjson", body.toByteArray());
                    } catch (GatewayClient.CallFailed e) {
                        progress.done();
                        System.err.println(file + ": rows " + (offset + 1) + ".." + (offset + n) + " not acknowledged: "
                            + e.getMessage());
                        return 1;
                    }
                    accepted += r.get("accepted").asLong();
                    rejected += r.get("rejected").asLong();
                    for (JsonNode rej : r.get("rejections")) {
                        if (shown++ < show) {
                            progress.clear();
                            System.err.printf("  %s row %d: %s [%s]%n", file.getFileName(), offset + rej.get("index").asLong() + 1,
                                rej.get("message").asText(), rej.get("rule").asText());
                        }
                    }
                    offset += n;
                    progress.update(offset);
                }
            }
            progress.done();
        }
        System.out.printf("%d rows accepted, %d rejected (in quarantine: GET %s/v1/quarantine?source=%s).%n", accepted,
            rejected, url, source);
        return 0;
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
