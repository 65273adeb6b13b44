package io.hearth.security.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One line of the audit trail: who did what, when, from where, and how it ended.
 *
 * @param atMillis when the answer was sent (epoch ms)
 * @param actor the key's id; {@value #ANONYMOUS} when the gateway has no keys; {@value #UNKNOWN} for a request
 *     without a valid key
 * @param action what was done ({@code registry.apply}, {@code auth.failed}, ...)
 * @param method the HTTP method, or {@code CLI} for a command that acted on the grid directly
 * @param path the path asked for (no query: values in it are the caller's data, not the action)
 * @param from the client's address as the gateway saw it (a proxy's, behind one)
 * @param gateway the process that answered
 * @param status the HTTP status of the answer (for a command: 200 done, 500 failed)
 * @param detail what else an operator needs: the rule a refusal broke, how many refusals were left out before it
 */
public record AuditEntry(long atMillis, String actor, String action, String method, String path, String from,
                         String gateway, int status, String detail) {
    public static final String ANONYMOUS = "anonymous";
    public static final String UNKNOWN = "-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code ok} (2xx, 3xx), {@code denied} (401, 403, 429) or {@code failed} (any other error). */
    public String outcome() {
        if (status < 400) {
            return "ok";
        }
        return status == 401 || status == 403 || status == 429 ? "denied" : "failed";
    }

    /** The entry as one JSON object (one line of {@code GET /v1/audit?format=jsonl}). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("at", Instant.ofEpochMilli(atMillis).toString());
        o.put("actor", actor);
        o.put("action", action);
        o.put("method", method);
        o.put("path", path);
        o.put("from", from);
        o.put("gateway", gateway);
        o.put("status", status);
        o.put("outcome", outcome());
        if (detail != null && !detail.isEmpty()) {
            o.put("detail", detail);
        }
        return o;
    }

    public static AuditEntry fromJson(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            return new AuditEntry(Instant.parse(o.get("at").asText()).toEpochMilli(), o.get("actor").asText(),
                o.get("action").asText(), o.get("method").asText(), o.get("path").asText(), o.get("from").asText(),
                o.get("gateway").asText(), o.get("status").asInt(), o.path("detail").asText(""));
        } catch (IOException e) {
            throw new UncheckedIOException("not an audit entry: " + json, e);
        }
    }
}
