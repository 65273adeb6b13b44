package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.connectors.files.FileSource;
import io.hearth.formats.Csv;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth ingest}: back-fills files into a source through {@code POST /v1/ingest/{source}}, in batches that
 * are each acknowledged on their own, as the files connector ({@link FileSource}) cuts them: every batch carries the
 * file's content hash as idempotency key and the index of its first row, so a re-run, or a run resumed after a
 * failure, stores each row once even for sources without an id field. The whole command is one back-fill run for
 * lineage ({@code POST /v1/backfills} before the first batch, {@code /end} after the last or at the failure that
 * stops it): only this command knows which files make a back-fill and when it is over.
 */
@Command(name = "ingest", description = "Back-fill CSV (with a header), NDJSON or Parquet files, or directories of them, "
    + "into a source, in batches. Rows that break the source's schema or contract go to quarantine and are listed. "
    + "Re-running the same files changes nothing.")
final class IngestCommand implements Callable<Integer> {

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
            System.err.println("hearth ingest: --batch must be at least 1");
            return HearthCli.EXIT_USAGE;
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.err.println("hearth ingest: no such file or directory: " + p);
                return 1;
            }
            if (Files.isRegularFile(p) && FileSource.Format.of(p) == null) {
                System.err.println("hearth ingest: " + p + ": unknown format; use .csv (with a header), .ndjson, .jsonl, "
                    + ".json or .parquet");
                return HearthCli.EXIT_USAGE;
            }
        }
        List<Path> files = FileSource.expand(paths);
        if (files.isEmpty()) {
            System.err.println("hearth ingest: no .csv, .ndjson, .jsonl, .json or .parquet files in " + paths);
            return 1;
        }
        GatewayClient http = client.client();
        Run run = Run.start(http, source, files);
        if (run.refused != null) {
            System.err.println("hearth ingest: " + run.refused);
            return 1;
        }
        try {
            return ingest(http, files, run);
        } catch (Exception | Error e) {
            run.error = run.error != null ? run.error : "stopped: " + e;
            throw e;
        } finally {
            run.end(http);
        }
    }

    private int ingest(GatewayClient http, List<Path> files, Run run) throws Exception {
        long received = 0;
        long fresh = 0;
        long already = 0;
        long rejected = 0;
        int shown = 0;
        long t0 = System.nanoTime();
        for (Path file : files) {
            Progress progress = new Progress(file.getFileName().toString());
            Run.File read = run.file(file);
            try (FileSource in = FileSource.open(file, batch)) {
                while (in.hasNext()) {
                    FileSource.Batch b = in.next();
                    read.hash = b.idempotencyKey();
                    JsonNode r;
                    try {
                        r = http.send("POST", "/v1/ingest/" + source + "?idempotency_key="
                            + URLEncoder.encode(b.idempotencyKey(), StandardCharsets.UTF_8) + "&first_index=" + b.firstIndex(),
                            b.contentType(), b.body());
                    } catch (GatewayClient.CallFailed e) {
                        progress.done();
                        if (e.status >= 400 && e.status < 500) { // the request itself is wrong: running it again will not help
                            System.err.println("hearth ingest: " + e.detail());
                            run.error = e.detail();
                            return 1;
                        }
                        System.err.println("hearth ingest: " + file + ": rows " + (b.firstIndex() + 1) + ".."
                            + (b.firstIndex() + b.rows()) + " not acknowledged (" + e.getMessage() + "); the rows before "
                            + "them are stored, and running the same command again resumes without storing any row twice");
                        run.error = "rows " + (b.firstIndex() + 1) + ".." + (b.firstIndex() + b.rows()) + " of "
                            + file.getFileName() + " not acknowledged: " + e.getMessage();
                        return 1;
                    }
                    received += r.get("received").asLong();
                    already += r.path("already_stored").asLong();
                    fresh += r.get("accepted").asLong() - r.path("already_stored").asLong();
                    rejected += r.get("rejected").asLong();
                    run.stored = fresh;
                    run.alreadyStored = already;
                    run.rejected = rejected;
                    for (JsonNode rej : r.get("rejections")) {
                        if (shown++ < show) {
                            progress.clear();
                            System.err.printf("  %s row %d: %s [%s]%n", file.getFileName(), rej.get("index").asLong() + 1,
                                rej.get("message").asText(), rej.get("rule").asText());
                        }
                    }
                    progress.update(in.position());
                    read.rows = in.position();
                }
            } catch (UncheckedIOException | com.fasterxml.jackson.databind.RuntimeJsonMappingException e) {
                progress.done();
                Throwable why = e instanceof UncheckedIOException u ? u.getCause() : e;
                System.err.println("hearth ingest: " + file + ": cannot read it past the rows already sent: " + Csv.reason(why));
                run.error = file.getFileName() + " cannot be read past the rows already sent: " + Csv.reason(why);
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

    /**
     * The back-fill run this command is: started before the first batch, ended after the last. Lineage is best effort:
     * when the gateway cannot record the run (down, or an older one), the rows still go in, with a warning. Only a
     * refusal of the request itself (an unknown source) stops the command, as the first batch would.
     */
    static final class Run {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

        /** A file as the run reports it: name, content hash (the batches' idempotency key), rows read. */
        static final class File {
            final String name;
            String hash;
            long rows;

            File(String name) {
                this.name = name;
            }
        }

        String id;
        String refused;
        final List<File> files = new java.util.ArrayList<>();
        long stored;
        long alreadyStored;
        long rejected;
        String error;

        static Run start(GatewayClient http, String source, List<Path> paths) throws InterruptedException {
            Run run = new Run();
            var body = JSON.createObjectNode().put("source", source);
            var list = body.putArray("files");
            for (Path p : paths) {
                list.addObject().put("name", p.getFileName().toString());
            }
            try {
                JsonNode r = http.send("POST", "/v1/backfills", "application/json",
                    body.toString().getBytes(StandardCharsets.UTF_8));
                run.id = r.get("run_id").asText();
            } catch (GatewayClient.CallFailed e) {
                if (e.status == 400 || e.status == 422) {
                    run.refused = e.detail();
                } else if (e.status != 0) { // no answer at all: the first batch says so
                    System.err.println("hearth ingest: warning: this back-fill is not recorded for lineage ("
                        + e.getMessage() + ")");
                }
            }
            return run;
        }

        File file(Path p) {
            File f = new File(p.getFileName().toString());
            files.add(f);
            return f;
        }

        /** Ends the run: COMPLETE when every file was read and sent (rejected rows included), else FAIL. */
        void end(GatewayClient http) throws InterruptedException {
            if (id == null) {
                return;
            }
            var body = JSON.createObjectNode().put("status", error == null ? "COMPLETE" : "FAIL");
            var list = body.putArray("files");
            for (File f : files) {
                var o = list.addObject().put("name", f.name).put("rows", f.rows);
                if (f.hash != null) {
                    o.put("hash", f.hash);
                }
            }
            body.put("stored", stored).put("already_stored", alreadyStored).put("rejected", rejected);
            if (error != null) {
                body.put("error", error.length() > 1000 ? error.substring(0, 997) + "..." : error);
            }
            try {
                http.send("POST", "/v1/backfills/" + id + "/end", "application/json",
                    body.toString().getBytes(StandardCharsets.UTF_8));
            } catch (GatewayClient.CallFailed e) {
                System.err.println("hearth ingest: warning: the end of this back-fill is not recorded for lineage ("
                    + e.getMessage() + ")");
            }
        }
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
