package io.hearth.gateway.access;

import io.hearth.security.access.Gatekeeper;
import io.hearth.security.access.RouteRule;
import io.hearth.security.access.RouteRules;
import io.hearth.security.audit.AuditEntry;
import io.hearth.security.audit.AuditTrail;
import io.hearth.security.audit.RefusalThinning;
import io.hearth.security.keys.ApiKey;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every request: asks the {@link Gatekeeper} (security module) whether it may go on, before
 * any body is read, and answers a refusal through the failure handler (a problem body). Appends to the audit trail
 * what the route table marks audited, once the answer is sent (its status is the outcome), and refusals, thinned per
 * client address. Without keys (no {@code --auth-file}) nothing is refused, and audited actions are recorded with
 * the actor {@value AuditEntry#ANONYMOUS}.
 */
public final class AccessHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(AccessHandler.class);
    /** The admitted key, for handlers that want to name it. */
    public static final String KEY = "hearth.key";

    private final Optional<Gatekeeper> gate;
    private final RouteRules rules;
    private final AuditTrail audit;
    private final RefusalThinning thinning;
    private final Vertx vertx;
    private final Clock clock;
    private final String gateway;

    /**
     * @param gate the decisions, or empty: no keys, every request passes
     * @param gateway this gateway's name in audit entries
     */
    public AccessHandler(Optional<Gatekeeper> gate, RouteRules rules, AuditTrail audit, Vertx vertx, Clock clock,
                         String gateway) {
        this.gate = gate;
        this.rules = rules;
        this.audit = audit;
        this.thinning = new RefusalThinning(clock);
        this.vertx = vertx;
        this.clock = clock;
        this.gateway = gateway;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String method = ctx.request().method().name();
        String path = ctx.normalizedPath();
        if (gate.isEmpty()) {
            rules.match(method, path).flatMap(m -> m.rule().audit())
                .ifPresent(action -> auditWhenAnswered(ctx, AuditEntry.ANONYMOUS, action));
            ctx.next();
            return;
        }
        Gatekeeper.Decision d = gate.get().decide(method, path, ctx.request().getHeader("Authorization"));
        if (d instanceof Gatekeeper.Admitted a) {
            ctx.put(KEY, a.key());
            ctx.addEndHandler(v -> a.release().run());
            a.rule().flatMap(RouteRule::audit).ifPresent(action -> auditWhenAnswered(ctx, a.key().id(), action));
            ctx.next();
        } else if (d instanceof Gatekeeper.Refused r) {
            refuse(ctx, r, method, path);
        } else {
            ctx.next(); // an open route
        }
    }

    private void refuse(RoutingContext ctx, Gatekeeper.Refused r, String method, String path) {
        int status = switch (r.why().code()) {
            case UNAUTHENTICATED -> 401;
            case RATE_LIMITED -> 429;
            default -> 403;
        };
        if (status != 429) { // a key over its rate is throttled, not suspect
            long leftOut = thinning.record(address(ctx));
            if (leftOut >= 0) {
                String action = status == 401 ? "auth.failed" : "access.denied";
                append(new AuditEntry(clock.millis(), r.key().map(ApiKey::id).orElse(AuditEntry.UNKNOWN), action, method,
                    path, address(ctx), gateway, status, r.why().rule()
                        + (leftOut > 0 ? "; " + leftOut + " earlier refusals from this address left out" : "")));
            }
        }
        ctx.fail(r.why());
    }

    private void auditWhenAnswered(RoutingContext ctx, String actor, String action) {
        String method = ctx.request().method().name();
        String path = ctx.normalizedPath();
        String from = address(ctx);
        ctx.addEndHandler(v -> append(new AuditEntry(clock.millis(), actor, action, method, path, from, gateway,
            ctx.response().ended() ? ctx.response().getStatusCode() : 0, ctx.response().ended() ? ""
                : "the client left before the answer")));
    }

    /** Appends on a worker thread: a grid write must not hold the event loop. */
    private void append(AuditEntry e) {
        vertx.executeBlocking(() -> {
            audit.append(e);
            return null;
        }, false).onFailure(t -> LOG.error("Audit entry NOT recorded ({}): {}", t.toString(), e.toJson()));
    }

    private static String address(RoutingContext ctx) {
        SocketAddress a = ctx.request().remoteAddress();
        return a == null ? "?" : a.hostAddress() != null ? a.hostAddress() : a.toString();
    }
}
