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
    + "--table it also stays readable as the SQL table TRAINING.<NAME>. With --from-log, build it from what a feature "
    + "service served instead: one row per logged request with an outcome of --label.")
final class ExtractCommand implements Callable<Integer> {
    @Option(names = "--spine", description = "Spine CSV file (header required).")
    Path spine;

    @Option(names = "--from-log", description = "Build the set from the feature log of --service: request_id, the join "
        + "keys, served_at, the values as served and the --label column, for each logged request with that outcome.")
    boolean fromLog;

    @Option(names = "--label", description = "With --from-log: the outcome label to join (its column's name).")
    String label;

    @Option(names = "--from", paramLabel = "TIME", description = "With --from-log: requests served at or after "
        + "(ISO-8601 or epoch ms; default: the first).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "With --from-log: requests served at or before (default: "
        + "the last).")
    String to;

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

    @Option(names = "--validate", description = "Judge the features' expectations (their views' expectations:) over the "
        + "produced set and print the results (stored in HEARTH.QUALITY too).")
    boolean validate;

    @Option(names = "--strict", description = "Like --validate, and fail (exit 1, no file) when a block-severity "
        + "expectation fails.")
    boolean strict;

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
        if (fromLog) {
            return fromLog(format);
        }
        if (spine == null) {
            System.err.println("hearth extract: give --spine FILE (or --from-log with --service and --label)");
            return 2;
        }
        if (label != null || from != null || to != null) {
            System.err.println("hearth extract: --label, --from and --to go with --from-log");
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
        if (validate || strict) {
            q.append("&validate=true").append(strict ? "&strict=true" : "");
        }
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
            printQuality(job);
            if (job.get("status").asText().equals("FAILED")) {
                System.err.println("hearth extract: " + (job.has("quality") && job.path("error").asText()
                    .startsWith("validation failed") ? "" : "the join failed: ") + job.path("error").asText());
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

    /** The job's validation, one line per expectation judged (nothing when it was not asked for). */
    private static void printQuality(JsonNode job) {
        JsonNode q = job.get("quality");
        if (q == null) {
            return;
        }
        System.out.printf("validation: %d expectations judged, %d failed (%d blocking)%n", q.get("judged").asLong(),
            q.get("failed").asLong(), q.get("blocking").asLong());
        for (JsonNode r : q.get("results")) {
            System.out.printf("  %-4s %-40s %-15s %-5s %s%n", r.get("success").asBoolean() ? "ok" : "FAIL",
                r.get("feature").asText(), r.get("expect").asText(), r.get("severity").asText(), r.get("detail").asText());
        }
    }

    /** {@code --from-log}: a job on the gateway, waited for, its file downloaded, its counts printed. */
    private int fromLog(String format) throws Exception {
        if (spine != null || what.features != null || table || name != null) {
            System.err.println("hearth extract: --from-log takes --service, --label, --from, --to and --out (no --spine, "
                + "--features, --table or --name)");
            return 2;
        }
        if (label == null) {
            System.err.println("hearth extract: --from-log needs --label (the outcome to join)");
            return 2;
        }
        String unwritable = unwritable(out);
        if (unwritable != null) {
            System.err.println("hearth extract: cannot write --out " + out + ": " + unwritable);
            return 1;
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper()
            .createObjectNode().put("service", what.service).put("label", label).put("format", format);
        if (from != null) {
            body.put("from", from);
        }
        if (to != null) {
            body.put("to", to);
        }
        GatewayClient http = client.client();
        long t0 = System.nanoTime();
        JsonNode job;
        try {
            job = http.send("POST", "/v1/feature-log/training-sets", "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8));
            String id = job.get("id").asText();
            while (job.get("status").asText().equals("QUEUED") || job.get("status").asText().equals("RUNNING")) {
                Thread.sleep(200); // polling a job over HTTP: nothing to wait on here
                job = http.send("GET", "/v1/feature-log/training-sets/" + id, null, null);
            }
            if (job.get("status").asText().equals("FAILED")) {
                System.err.println("hearth extract: the training set failed: " + job.path("error").asText());
                return 1;
            }
            http.download("/v1/feature-log/training-sets/" + id + "/data", out);
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth extract: " + e.detail().replace("feature_service", "--service"));
            return 1;
        } catch (IOException e) {
            System.err.println("hearth extract: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        System.out.printf("%s from the log of %s: %,d rows from %,d logged requests (%,d labeled, %,d left out as leakage: "
                + "outcome not after the served time, %,d without a %s outcome), %d columns, in %.1f s -> %s%n", label,
            what.service, job.get("rows").asLong(), job.get("requests").asLong(), job.get("labeled").asLong(),
            job.get("leakage").asLong(), job.get("unlabeled").asLong(), label, job.get("columns").size(),
            (System.nanoTime() - t0) / 1e9, out);
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
