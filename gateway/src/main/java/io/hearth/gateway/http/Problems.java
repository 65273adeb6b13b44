package io.hearth.gateway.http;

import io.hearth.catalog.ErrorCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.DefinitionException;
import io.hearth.catalog.DefinitionProblem;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.lineage.BreakingInUseException;
import io.hearth.catalog.lineage.BreakingSchemaException;
import io.hearth.catalog.lineage.InUse;
import io.hearth.ingest.BreakerOpenException;
import io.hearth.security.access.AccessDenied;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import javax.cache.CacheException;
import org.apache.ignite.IgniteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: RFC 9457 problem bodies
 * ({@code application/problem+json}) with Hearth's code, the field and the rule at fault.
 */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<Integer, String> TITLES = Map.ofEntries(Map.entry(400, "Bad Request"),
        Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
        Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"), Map.entry(413, "Content Too Large"),
        Map.entry(414, "URI Too Long"), Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Content"),
        Map.entry(429, "Too Many Requests"), Map.entry(431, "Request Header Fields Too Large"),
        Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"));

    private Problems() {
    }

    /** Router failure handler: maps whatever failed the request to a problem answer. */
    public static void handle(RoutingContext ctx) {
        Throwable t = ctx.failure();
        int status = ctx.statusCode();
        if (t == null) {
            switch (status) {
                case 404 -> send(ctx, new ApiException(ErrorCode.NOT_FOUND, null, "route", "no such endpoint: "
                    + ctx.request().method() + " " + ctx.request().path() + " (see /openapi.yaml)"));
                case 405 -> send(ctx, new ApiException(ErrorCode.METHOD, null, "method", "method "
                    + ctx.request().method() + " is not allowed on " + ctx.request().path()));
                case 413 -> send(ctx, new ApiException(ErrorCode.TOO_LARGE, null, "body.size",
                    "request body is larger than this endpoint accepts"));
                case 415 -> send(ctx, ApiException.unsupportedMediaType(ctx.request().getHeader("Content-Type"),
                    "application/json"));
                default -> send(ctx, ApiException.withStatus(status < 400 ? 500 : status, status >= 500 ? ErrorCode.INTERNAL
                    : ErrorCode.INVALID_FIELD, "http.status", TITLES.getOrDefault(status, "request failed")));
            }
            return;
        }
        send(ctx, t);
    }

    /**
     * The server's answer to a request that is not HTTP it can read (a request line or headers over the limits, bad
     * syntax): a problem body, and {@code Connection: close} said before closing, so that no client reuses the
     * connection for its next request (it would find it closed under it).
     */
    public static void undecodable(io.vertx.core.http.HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        String name = cause == null ? "" : cause.getClass().getSimpleName();
        int status = name.contains("TooLongHttpLine") || name.contains("TooLongUri") ? 414
            : name.contains("TooLongHttpHeader") ? 431 : 400;
        String rule = switch (status) {
            case 414 -> "uri.size";
            case 431 -> "header.size";
            default -> "http.syntax";
        };
        String detail = switch (status) {
            case 414 -> "the request line is longer than this gateway reads";
            case 431 -> "the request's headers are larger than this gateway reads";
            default -> "the request is not HTTP this gateway can read";
        };
        ObjectNode o = body(req.path() == null ? "" : req.path(), ApiException.withStatus(status, ErrorCode.INVALID_FIELD,
            rule, detail));
        req.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
            .putHeader("Connection", "close").end(o.toString()).onComplete(v -> req.connection().close());
    }

    public static void send(RoutingContext ctx, Throwable t) {
        if (t instanceof io.vertx.core.http.HttpClosedException) {
            return; // the client left (mid-body, say): there is no one to answer, and nothing went wrong here
        }
        if (ctx.response().headWritten() || ctx.response().ended()) {
            ctx.request().connection().close(); // the answer is half sent: closing is the only honest signal
            return;
        }
        ObjectNode body = body(ctx.request().path(), t);
        int status = body.get("status").asInt();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json");
        if (status == 503) {
            ctx.response().putHeader("Retry-After", t instanceof BreakerOpenException b ? Long.toString(b.retryAfterSeconds())
                : "1");
        }
        if (t instanceof AccessDenied d) {
            if (status == 401) {
                // RFC 6750: how to authenticate, and for a key that was sent but is not valid, that it is not
                ctx.response().putHeader("WWW-Authenticate", "auth.missing".equals(d.rule()) ? "Bearer realm=\"hearth\""
                    : "Bearer realm=\"hearth\", error=\"invalid_token\"");
            }
            d.retryAfterSeconds().ifPresent(s -> ctx.response().putHeader("Retry-After", Long.toString(s)));
        }
        ctx.response().end(body.toString());
    }

    /** Whether a failure is Ignite refusing lost partitions (READ_WRITE_SAFE), which a retry alone does not cure. */
    static boolean partitionsLost(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c.getClass().getSimpleName().equals("CacheInvalidStateException") || m.contains("partition data has been lost")) {
                return true;
            }
        }
        return false;
    }

    /** A short id that ties an answer to the log line holding its stack trace. */
    private static String errorId() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    /** The HTTP status of each error code: the one place that decides it. */
    public static int status(ErrorCode code) {
        return switch (code) {
            case MALFORMED_JSON, INVALID_FIELD, TRAINING -> 400;
            case NOT_FOUND -> 404;
            case METHOD -> 405;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case MEDIA_TYPE -> 415;
            case DEFINITIONS -> 422;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case RATE_LIMITED -> 429;
            case BREAKER_OPEN, GRID_UNAVAILABLE, GRID_SNAPSHOT -> 503;
            case CONFIGURATION, INTERNAL -> 500;
        };
    }

    /** Breaking changes that reach models, one object each: in a refused apply's problem and in a plan. */
    public static void inUse(ArrayNode out, java.util.List<InUse> inUse) {
        for (InUse u : inUse) {
            out.addObject().put("model", u.model()).put("service", u.service()).put("kind", u.kind())
                .put("name", u.name()).put("reason", u.reason());
        }
    }

    /** The problem body for a failure. */
    public static ObjectNode body(String instance, Throwable t) {
        int status;
        String code;
        String field = null;
        String rule = null;
        String detail;
        if (t instanceof HearthException h) {
            status = h instanceof ApiException a && a.statusOverride() != 0 ? a.statusOverride() : status(h.code());
            code = h.code().code();
            field = h.field();
            rule = h.rule();
            detail = h.getMessage();
        } else if (t.getClass().getName().startsWith("io.netty.handler.codec.")) {
            status = 400;
            code = ErrorCode.INVALID_FIELD.code();
            field = "body";
            rule = "body.decode";
            detail = "the request could not be decoded as HTTP with the Content-Type it declares";
        } else if (t instanceof IgniteException || t instanceof CacheException || t instanceof IllegalStateException
            && String.valueOf(t.getMessage()).contains("grid")) {
            status = 503;
            code = ErrorCode.GRID_UNAVAILABLE.code();
            String id = errorId();
            detail = partitionsLost(t)
                ? "data this request needs is in partitions whose every copy was lost (their nodes left the cluster): "
                    + "restart those nodes with their data and run `hearth reset-lost`; until then this request fails the "
                    + "same way, and other entities are served as before (error id " + id + ")"
                : "the data grid could not complete the request (safe to retry; error id " + id + " in the gateway's log)";
            LOG.warn("Grid failure on {} [error id {}]: {}", instance, id, t.toString());
        } else {
            // Never the exception's class or message: they describe Hearth's insides, not the request. The id
            // leads an operator to the stack trace in the log.
            status = 500;
            code = ErrorCode.INTERNAL.code();
            String id = errorId();
            detail = "internal error (error id " + id + " in the gateway's log)";
            LOG.error("Unexpected failure on {} [error id {}]", instance, id, t);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "urn:hearth:error:" + code);
        o.put("title", TITLES.getOrDefault(status, "Error"));
        o.put("status", status);
        o.put("detail", detail);
        o.put("instance", instance);
        o.put("code", code);
        if (field != null) {
            o.put("field", field);
        }
        if (rule != null) {
            o.put("rule", rule);
        }
        if (t instanceof BreakingInUseException b) {
            inUse(o.putArray("in_use"), b.inUse());
        }
        if (t instanceof BreakingSchemaException b) {
            ArrayNode breaking = o.putArray("breaking");
            for (BreakingSchemaException.Breaking x : b.breaking()) {
                breaking.addObject().put("kind", x.kind()).put("name", x.name()).put("reason", x.reason());
            }
            inUse(o.putArray("in_use"), b.inUse());
            o.put("fix", "review `hearth plan`, then apply with --force (HTTP: force=true) to do it anyway");
        }
        if (t instanceof AccessDenied d) {
            d.missingRole().ifPresent(r -> o.put("role", r.label()));
            d.missingScope().ifPresent(sc -> o.put("scope", sc));
        }
        if (t instanceof DefinitionException d) {
            ArrayNode errors = o.putArray("errors");
            for (DefinitionProblem p : d.problems()) {
                ObjectNode e = errors.addObject();
                if (p.file() != null) {
                    e.put("file", p.file());
                }
                e.put("line", p.line());
                e.put("field", p.path());
                e.put("rule", p.rule());
                e.put("message", p.message());
            }
        }
        return o;
    }
}
