package io.hearth.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth audit}: the gateway's audit trail as JSON lines (an admin key). */
@Command(name = "audit", description = "Print the audit trail as JSON lines, oldest first: changes of definitions, "
    + "admin actions, training-set exports, refused requests (needs an admin key).")
final class AuditCommand implements Callable<Integer> {
    @Option(names = "--since", paramLabel = "TIME", description = "From this time on (ISO-8601 or epoch ms).")
    String since;

    @Option(names = "--actor", paramLabel = "KEY_ID", description = "Only this key's entries.")
    String actor;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. registry.apply.")
    String action;

    @Option(names = "--limit", description = "The newest this many (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int limit;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        StringBuilder q = new StringBuilder("/v1/audit?format=jsonl&limit=").append(limit);
        param(q, "since", since);
        param(q, "actor", actor);
        param(q, "action", action);
        try {
            System.out.print(client.client().text("GET", q.toString()));
            return 0;
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth audit: " + e.detail());
            return 1;
        }
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
