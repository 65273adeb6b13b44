package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth extract}: uploads a spine, waits for the point-in-time join with a progress bar, downloads the
 * training set as CSV or Parquet (by the extension of --out) and summarizes it.
 */
@Command(name = "extract", description = "Build a point-in-time-correct training set from a spine (CSV with the "
    + "entity's join keys and a timestamp column; every other column passes through), as CSV or Parquet. With "
    + "--table it also stays readable as the SQL table TRAINING.<NAME>.")
final class ExtractCommand implements Callable<Integer> {
    @Option(names = "--spine", required = true, description = "Spine CSV file (header required).")
    Path spine;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--service", description = "Feature service whose features to join.")
        String service;

        @Option(names = "--features", description = "Features to join: view:feature,view:feature,...")
        String features;
    }

    @Option(names = "--out", required = true, description = "Output file: .csv or .parquet.")
    Path out;

    @Option(names = "--name", description = "Training set name (SQL table TRAINING.<NAME>; default: the --out file name).")
    String name;

    @Option(names = "--timestamp-column", defaultValue = "event_ts",
        description = "Spine column holding each row's time (default: ${DEFAULT-VALUE}).")
    String timestampColumn;

    @Option(names = "--table", description = "Also keep the set as the SQL table TRAINING.<NAME> (slower: every row "
        + "becomes a SQL row).")
    boolean table;

    @Option(names = "--no-replace", description = "With --table: fail if a table of that name exists (default: replace it).")
    boolean noReplace;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        String file = out.getFileName().toString();
        String lower = file.toLowerCase(Locale.ROOT);
        String format = lower.endsWith(".parquet") ? "parquet" : lower.endsWith(".csv") ? "csv" : null;
        if (format == null) {
            System.err.println("hearth extract: --out must end in .csv or .parquet, got " + out);
            return 2;
        }
        if (!Files.isRegularFile(spine)) {
            System.err.println("hearth extract: no such spine file: " + spine);
            return 1;
        }
        String unwritable = unwritable(out);
        if (unwritable != null) { // said now, not after the whole set was computed
            System.err.println("hearth extract: cannot write --out " + out + ": " + unwritable);
            return 1;
        }
        String setName = name != null ? name : file.substring(0, file.lastIndexOf('.')).replaceAll("[^A-Za-z0-9_]", "_");
        if (!setName.isEmpty() && Character.isDigit(setName.charAt(0))) {
            setName = "t_" + setName;
        }
        StringBuilder q = new StringBuilder("?name=").append(enc(setName)).append("&timestamp_column=").append(enc(timestampColumn))
            .append("&replace=").append(!noReplace);
        q.append(what.service != null ? "&feature_service=" + enc(what.service) : "&features=" + enc(what.features));
        if (!table) {
            q.append("&file=").append(format); // computed for the file only: no SQL rows to write
        }
        GatewayClient http = client.client();
        long t0 = System.nanoTime();
        JsonNode job;
        try {
            job = http.send("POST", "/v1/training-sets" + q, "text/csv", Files.readAllBytes(spine));
            String id = job.get("id").asText();
            IngestCommand.Progress progress = new IngestCommand.Progress(setName);
            while (true) {
                job = http.send("GET", "/v1/training-sets/" + id, null, null);
                String state = job.get("status").asText();
                progress.update(job.get("rows_done").asLong());
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    break;
                }
                Thread.sleep(200);
            }
            progress.done();
            if (job.get("status").asText().equals("FAILED")) {
                System.err.println("hearth extract: the join failed: " + job.path("error").asText());
                return 1;
            }
            http.download("/v1/training-sets/" + id + "/data?format=" + format, out);
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth extract: " + flagNames(e.detail()));
            return 1;
        } catch (IOException e) {
            System.err.println("hearth extract: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d rows, %d columns, in %.1f s -> %s%s%n", setName, job.get("rows").asLong(),
            job.get("columns").size(), s, out, job.has("table") ? " (SQL: SELECT * FROM " + job.get("table").asText() + ")" : "");
        for (Iterator<Map.Entry<String, JsonNode>> it = job.get("features").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode n = f.getValue();
            System.out.printf("  %-45s %,d present, %,d null: %,d outside ttl, %,d not found, %,d null value%n", f.getKey(),
                n.get("present").asLong(), n.get("outside_max_age").asLong() + n.get("not_found").asLong()
                    + n.get("null_value").asLong(), n.get("outside_max_age").asLong(), n.get("not_found").asLong(),
                n.get("null_value").asLong());
        }
        return 0;
    }

    /** Why a file cannot be written there, or null when it can: checked before any work starts. */
    static String unwritable(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            return "it is a directory";
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "directory " + dir + " does not exist (create it first)";
        }
        if (!Files.isWritable(dir)) {
            return "directory " + dir + " is not writable";
        }
        if (Files.exists(abs) && !Files.isWritable(abs)) {
            return "the file exists and is not writable";
        }
        return null;
    }

    /** The gateway names HTTP parameters; this command's user knows them as flags. */
    private static String flagNames(String detail) {
        return detail.replace("timestamp_column", "--timestamp-column").replace("feature_service", "--service");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
