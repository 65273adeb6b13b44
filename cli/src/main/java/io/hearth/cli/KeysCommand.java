package io.hearth.cli;

import io.hearth.catalog.HearthException;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.keys.Secrets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth keys}: API keys for a gateway's {@code --auth-file}. */
@Command(name = "keys", description = "Make API keys for a gateway's --auth-file.",
    subcommands = {KeysCommand.New.class})
final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("hearth keys: say what to do: ./hearth keys new --id NAME --role ROLE (see ./hearth help keys)");
        return HearthCli.EXIT_USAGE;
    }

    /**
     * {@code hearth keys new}: a new secret, printed once, and the key file's line for it (which holds only the
     * secret's SHA-256). Standard output is exactly those two lines, for scripts; the explanation goes to stderr.
     */
    @Command(name = "new", description = "Print a new secret (once: it is stored nowhere) and, on the next line, the "
        + "line to add under 'keys:' in the --auth-file.")
    static final class New implements Callable<Integer> {
        @Option(names = "--id", required = true, paramLabel = "NAME", description = "The key's name in logs and the "
            + "audit trail (letters, digits, . _ @ -).")
        String id;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, writer or admin "
            + "(repeatable; the highest counts).")
        List<String> roles;

        @Option(names = "--sources", split = ",", paramLabel = "NAME,...", description = "Sources a writer may ingest "
            + "into (default: every source).")
        List<String> sources;

        @Option(names = "--rate", paramLabel = "N/s", description = "Requests per second (or /min, /h) the key may make; "
            + "more answer 429 (default: no limit).")
        String rate;

        @Option(names = "--max-concurrent", paramLabel = "N", description = "Requests of the key in flight at once "
            + "(default: 64).")
        Integer maxConcurrent;

        @Override
        public Integer call() {
            String secret = Secrets.newSecret();
            StringBuilder line = new StringBuilder("  - {id: ").append(id).append(", secret_sha256: ")
                .append(Secrets.sha256Hex(secret)).append(", roles: [").append(String.join(", ", roles)).append("]");
            if (sources != null) {
                line.append(", sources: [").append(String.join(", ", sources)).append("]");
            }
            if (rate != null) {
                line.append(", rate: ").append(rate);
            }
            if (maxConcurrent != null) {
                line.append(", max_concurrent: ").append(maxConcurrent);
            }
            line.append("}");
            try {
                KeyFile.parse("the new key", "keys:\n" + line + "\n"); // the same checks the gateway makes
            } catch (HearthException e) {
                System.err.println("hearth keys new: " + e.getMessage().replaceFirst("^the key file the new key has (a "
                    + "problem|\\d+ problems): ", "").replace("the new key:2: keys[0].", "--"));
                return HearthCli.EXIT_USAGE;
            }
            System.err.println("Key '" + id + "': its secret (line 1, shown this once: give it to the client as "
                + "HEARTH_TOKEN or 'Authorization: Bearer <secret>') and its line for the key file (line 2, under 'keys:'):");
            System.out.println(secret);
            System.out.println(line);
            return 0;
        }
    }
}
