package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth quarantine}: the newest rejected records, with the rule each broke and the record as sent. */
@Command(name = "quarantine", description = "Show the newest quarantined records (of one source or rule), with the "
    + "field and rule each broke and the record as it was sent.")
final class QuarantineCommand implements Callable<Integer> {
    @Option(names = "--source", description = "Only records of this source.")
    String source;

    @Option(names = "--rule", description = "Only records that broke this rule, e.g. contract.allowed.")
    String rule;

    @Option(names = "--limit", description = "How many, newest first (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int limit;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        StringBuilder q = new StringBuilder("?limit=").append(limit);
        if (source != null) {
            q.append("&source=").append(URLEncoder.encode(source, StandardCharsets.UTF_8));
        }
        if (rule != null) {
            q.append("&rule=").append(URLEncoder.encode(rule, StandardCharsets.UTF_8));
        }
        try {
            JsonNode r = client.client().send("GET", "/v1/quarantine" + q, null, null);
            JsonNode records = r.get("records");
            System.out.println(r.get("count").asLong() + " quarantined record(s)" + (source == null ? "" : " of " + source)
                + (rule == null ? "" : " breaking " + rule) + (records.size() < r.get("count").asLong()
                ? ", newest " + records.size() + ":" : records.isEmpty() ? "." : ":"));
            for (JsonNode e : records) {
                System.out.printf("%n%s  %s  %s%s%n  %s%n  record: %s%n", e.get("received_at").asText(),
                    e.get("source").asText(), e.get("rule").asText(), e.hasNonNull("field") ? " (" + e.get("field").asText()
                        + ")" : "", e.get("message").asText(), shorten(e.get("raw").asText()));
            }
            return 0;
        } catch (GatewayClient.CallFailed e) {
            System.err.println("hearth quarantine: " + e.detail());
            return 1;
        }
    }

    private static String shorten(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 300 ? one.substring(0, 297) + "..." : one;
    }
}
