package io.hearth.gateway.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Fields;
import io.hearth.security.audit.AuditEntry;
import io.hearth.security.audit.AuditQuery;
import io.hearth.security.audit.AuditTrail;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/audit}: the audit trail, oldest first, as one JSON object or as JSON lines ({@code format=jsonl},
 * or {@code Accept: application/x-ndjson}), one entry per line, for {@code jq} and log shippers.
 */
public final class AuditRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_LINES = "application/x-ndjson";

    private final Vertx vertx;
    private final AuditTrail audit;

    public AuditRoutes(Vertx vertx, AuditTrail audit) {
        this.vertx = vertx;
        this.audit = audit;
    }

    public void read(RoutingContext ctx) {
        var q = ctx.queryParams();
        long from = Fields.timeParam(q, "since", 0);
        long to = Fields.timeParam(q, "until", Long.MAX_VALUE);
        Optional<String> actor = Optional.ofNullable(Fields.param(q, "actor")).filter(s -> !s.isEmpty());
        Optional<String> action = Optional.ofNullable(Fields.param(q, "action")).filter(s -> !s.isEmpty());
        int limit = Fields.intParam(q, "limit", 1000, 1, AuditQuery.MAX_LIMIT);
        String format = Fields.param(q, "format");
        boolean lines;
        if (format == null || format.isEmpty()) {
            String accept = ctx.request().getHeader("Accept");
            lines = accept != null && accept.contains(JSON_LINES);
        } else if (format.equals("jsonl") || format.equals("json")) {
            lines = format.equals("jsonl");
        } else {
            throw ApiException.invalid("format", "enum", "format must be json or jsonl, got '" + Fields.shorten(format) + "'");
        }
        AuditQuery query = new AuditQuery(from, to, actor, action, limit);
        vertx.executeBlocking(() -> audit.read(query), false).onSuccess(entries -> {
            if (lines) {
                StringBuilder sb = new StringBuilder();
                for (AuditEntry e : entries) {
                    sb.append(e.toJson()).append('\n');
                }
                ctx.response().putHeader("Content-Type", JSON_LINES).end(sb.toString());
            } else {
                ctx.response().putHeader("Content-Type", "application/json").end(body(entries).toString());
            }
        }).onFailure(ctx::fail);
    }

    private static ObjectNode body(List<AuditEntry> entries) {
        ObjectNode o = JSON.createObjectNode();
        o.put("count", entries.size());
        ArrayNode arr = o.putArray("entries");
        entries.forEach(e -> arr.add(e.toJson()));
        return o;
    }
}
