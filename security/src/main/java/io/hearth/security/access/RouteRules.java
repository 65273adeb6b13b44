package io.hearth.security.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access rule of every route of the HTTP API, in one table ({@link #hearth()}): adding a route means adding its
 * line here. A request whose route has no line needs an admin key (so a forgotten line locks a route, it never opens
 * it), and {@code RouteAccessTest} fails for any route the gateway serves that has no line.
 *
 * <p>Matching: exact paths by a map lookup (the lookups take this path), templated ones segment by segment, first
 * declared first; a {@code {param}} matches one non-empty segment (percent-decoded as the router decodes it), a last
 * {@code **} any rest. One trailing slash is ignored, as the router ignores it.
 */
public final class RouteRules {
    private final List<RouteRule> rules;
    private final Map<String, Map<String, Match>> exact = new HashMap<>();
    private final List<Template> templates = new ArrayList<>();

    /** A matched rule, and the value of its scope parameter when it has one. */
    public record Match(RouteRule rule, Optional<String> scopeValue) {
    }

    private record Template(RouteRule rule, String[] segments, int scopeIndex) {
    }

    public RouteRules(List<RouteRule> rules) {
        this.rules = List.copyOf(rules);
        for (RouteRule r : rules) {
            String[] seg = segments(r.path());
            boolean literal = true;
            int scopeIndex = -1;
            for (int i = 0; i < seg.length; i++) {
                if (isParam(seg[i]) || seg[i].equals("**")) {
                    literal = false;
                }
                if (r.scope().isPresent() && seg[i].equals("{" + r.scope().get() + "}")) {
                    scopeIndex = i;
                }
                if (seg[i].equals("**") && i != seg.length - 1) {
                    throw new IllegalArgumentException(r.route() + ": ** may only end a path");
                }
            }
            if (r.scope().isPresent() && scopeIndex < 0) {
                throw new IllegalArgumentException(r.route() + ": no path parameter {" + r.scope().get() + "} to scope by");
            }
            if (literal) {
                Match previous = exact.computeIfAbsent(r.method(), m -> new HashMap<>()).put(r.path(),
                    new Match(r, Optional.empty()));
                if (previous != null) {
                    throw new IllegalArgumentException(r.route() + " has two rules");
                }
            } else {
                templates.add(new Template(r, seg, scopeIndex));
            }
        }
    }

    /** Hearth's routes and who may call them. */
    public static RouteRules hearth() {
        return new RouteRules(List.of(
            // Open: load balancers and API tools ask these without a key.
            open("GET /health"),
            open("GET /openapi.yaml"),
            // Reader: lookups, the registry, sources and the quarantine, training sets, metrics.
            reader("GET /metrics"),
            reader("POST /get-online-features"),
            reader("POST /v1/features/online"),
            reader("GET /v1/registry"),
            reader("POST /v1/registry/plan"), // computes a diff, stores nothing
            reader("GET /v1/registry/versions"),
            reader("GET /v1/registry/versions/{version}"),
            reader("GET /v1/sources"),
            reader("GET /v1/sources/{source}"),
            reader("GET /v1/sources/{source}/events"),
            reader("GET /v1/quarantine"),
            reader("GET /v1/quarantine/rules"),
            reader("GET /v1/training-sets"),
            reader("POST /v1/training-sets").audited("training_set.build"),
            reader("GET /v1/training-sets/{id}"),
            reader("GET /v1/training-sets/{id}/data").audited("training_set.export"),
            // The feedback loop: logged lookups read like lookups; exports of what was served are audited.
            reader("GET /v1/feature-log").audited("feature_log.export"),
            reader("GET /v1/feature-log/{request_id}"),
            reader("GET /v1/feature-log/{request_id}/reproduce"),
            reader("POST /v1/feature-log/skew"), // recomputes a sample, stores nothing
            reader("POST /v1/feature-log/training-sets").audited("training_set.build"),
            reader("GET /v1/feature-log/training-sets/{id}"),
            reader("GET /v1/feature-log/training-sets/{id}/data").audited("training_set.export"),
            // Writer: ingest, into the sources of the key's scope; outcomes (labels) of logged lookups.
            writer("POST /v1/ingest/{source}", "source"),
            writer("POST /v1/outcomes"),
            // Back-fill runs (hearth ingest of files): started and ended by whoever writes the rows, read by anyone.
            writer("POST /v1/backfills"),
            writer("POST /v1/backfills/{id}/end"),
            reader("GET /v1/backfills/{id}"),
            // Admin: every call is audited.
            admin("PUT /v1/registry", "registry.apply"),
            admin("POST /v1/sources/{source}/breaker/reset", "breaker.reset"),
            admin("POST /v1/compaction", "compaction"),
            admin("POST /v1/cluster/reset-lost", "partitions.reset_lost"),
            admin("GET /v1/audit", "audit.read"),
            // Quality: results and references read by anyone; a reference changes what drift judges (and may halt a
            // source), so storing one is an audited admin call.
            reader("GET /v1/quality/results"),
            reader("GET /v1/quality/profiles"),
            reader("GET /v1/quality/references"),
            reader("GET /v1/quality/references/{name}"),
            admin("POST /v1/quality/references", "quality.reference"),
            // Routes of the catalog, lineage, console and model issues, guarded from the day they are mounted.
            reader("GET /v1/catalog/**"),
            reader("GET /v1/lineage/**"),
            reader("GET /console"),
            reader("GET /console/**"),
            reader("HEAD /console"),
            reader("HEAD /console/**"),
            reader("GET /v1/models"),
            reader("GET /v1/models/**"),
            admin("POST /v1/models", "model.register")));
    }

    public static RouteRule open(String route) {
        return rule(route, Access.OPEN, Optional.empty(), Optional.empty());
    }

    public static RouteRule reader(String route) {
        return rule(route, Access.READER, Optional.empty(), Optional.empty());
    }

    /** A writer's route that no source scope narrows. */
    public static RouteRule writer(String route) {
        return rule(route, Access.WRITER, Optional.empty(), Optional.empty());
    }

    /** A writer's route whose path parameter {@code scope} names the source the key's scope must cover. */
    public static RouteRule writer(String route, String scope) {
        return rule(route, Access.WRITER, Optional.of(scope), Optional.empty());
    }

    public static RouteRule admin(String route, String auditAction) {
        return rule(route, Access.ADMIN, Optional.empty(), Optional.of(auditAction));
    }

    private static RouteRule rule(String route, Access access, Optional<String> scope, Optional<String> audit) {
        int sp = route.indexOf(' ');
        return new RouteRule(route.substring(0, sp), route.substring(sp + 1), access, scope, audit);
    }

    public List<RouteRule> rules() {
        return rules;
    }

    /** The rule of a request's method and (normalized) path; empty when no line covers it. */
    public Optional<Match> match(String method, String path) {
        Map<String, Match> byPath = exact.get(method);
        if (byPath != null) {
            Match m = byPath.get(path);
            if (m == null && path.length() > 1 && path.endsWith("/")) {
                m = byPath.get(path.substring(0, path.length() - 1));
            }
            if (m != null) {
                return Optional.of(m);
            }
        }
        if (templates.isEmpty()) {
            return Optional.empty();
        }
        String[] seg = segments(path);
        for (Template t : templates) {
            if (t.rule().method().equals(method) && matches(t.segments(), seg)) {
                return Optional.of(new Match(t.rule(), t.scopeIndex() < 0 ? Optional.empty()
                    : Optional.of(decode(seg[t.scopeIndex()]))));
            }
        }
        return Optional.empty();
    }

    /** The rule declared for a route as written in the OpenAPI document ({@code GET /v1/sources/{source}}), if any. */
    public Optional<RouteRule> declared(String method, String path) {
        for (RouteRule r : rules) {
            if (r.method().equals(method) && (r.path().equals(path) || covers(segments(r.path()), segments(path)))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Whether a rule's segments cover a route template's (a {@code {param}} of the route matches a {@code {param}}). */
    private static boolean covers(String[] rule, String[] route) {
        for (int i = 0; i < rule.length; i++) {
            if (rule[i].equals("**")) {
                return route.length >= i;
            }
            if (i >= route.length || !(rule[i].equals(route[i]) || isParam(rule[i]) && isParam(route[i]))) {
                return false;
            }
        }
        return rule.length == route.length;
    }

    private static boolean matches(String[] template, String[] path) {
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals("**")) {
                return path.length >= i;
            }
            if (i >= path.length) {
                return false;
            }
            if (isParam(template[i]) ? path[i].isEmpty() : !template[i].equals(path[i])) {
                return false;
            }
        }
        return template.length == path.length;
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** Segments of a path, without the leading slash and one trailing slash: {@code /a/b/} is [a, b], {@code /} is []. */
    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // undecodable: compared as sent, so it matches no source name
        }
    }
}
