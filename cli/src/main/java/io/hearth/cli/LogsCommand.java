package io.hearth.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth logs}: the feature log of lookups. */
@Command(name = "logs", description = "The feature log: lookups of feature services with logging.",
    subcommands = {LogsCommand.Export.class})
final class LogsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hearth logs: say what to do: ./hearth logs export --service S --from T --to T --out F.parquet");
        return HearthCli.EXIT_USAGE;
    }

    /** {@code hearth logs export}: a service's logs over a time range as Parquet or CSV. */
    @Command(name = "export", description = "Write a feature service's logged lookups to a file, one row per request "
        + "and entity: request_id, service, registry_version, model, model_version, as_of, served_at, the join keys, "
        + "then per feature its value, __status and __event_ts.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--service", required = true, description = "The feature service whose logs to export.")
        String service;

        @Option(names = "--from", paramLabel = "TIME", description = "Served at or after (ISO-8601 or epoch ms; default: "
            + "the first).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Served at or before (default: the last).")
        String to;

        @Option(names = "--out", required = true, description = "Output file: .parquet or .csv.")
        Path out;

        @picocli.CommandLine.Mixin
        ClientOptions client = new ClientOptions();

        @Override
        public Integer call() throws Exception {
            String lower = out.getFileName().toString().toLowerCase(Locale.ROOT);
            String format = lower.endsWith(".parquet") ? "parquet" : lower.endsWith(".csv") ? "csv" : null;
            if (format == null) {
                System.err.println("hearth logs export: --out must end in .parquet or .csv, got " + out);
                return HearthCli.EXIT_USAGE;
            }
            String unwritable = ExtractCommand.unwritable(out);
            if (unwritable != null) {
                System.err.println("hearth logs export: cannot write --out " + out + ": " + unwritable);
                return 1;
            }
            StringBuilder q = new StringBuilder("?service=").append(enc(service)).append("&format=").append(format);
            if (from != null) {
                q.append("&from=").append(enc(from));
            }
            if (to != null) {
                q.append("&to=").append(enc(to));
            }
            long t0 = System.nanoTime();
            try {
                client.client().download("/v1/feature-log" + q, out);
            } catch (GatewayClient.CallFailed e) {
                System.err.println("hearth logs export: " + e.detail());
                return 1;
            } catch (java.net.ConnectException e) {
                System.err.println("hearth logs export: cannot reach Hearth at " + client.url + " (is `./hearth up` "
                    + "running? point to it with --url or HEARTH_URL)");
                return 1;
            } catch (IOException e) {
                System.err.println("hearth logs export: cannot write " + out + ": " + e.getMessage());
                return 1;
            }
            System.out.printf("logs of %s -> %s (%,d bytes) in %.1f s%n", service, out, Files.size(out),
                (System.nanoTime() - t0) / 1e9);
            return 0;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
