package io.hearth.security.access;

import java.util.Optional;

/**
 * Who may call one route, and what the audit trail calls it.
 *
 * @param method HTTP method, upper case
 * @param path the route as {@code /openapi.yaml} writes it ({@code /v1/ingest/{source}}); a last segment {@code **}
 *     stands for anything below (routes still to come under a prefix)
 * @param access the role needed, or open
 * @param scope the path parameter naming a source the key's {@code sources} must cover (ingest); empty = none
 * @param audit the action name under which every call is appended to the audit trail; empty = not audited
 */
public record RouteRule(String method, String path, Access access, Optional<String> scope, Optional<String> audit) {
    public RouteRule {
        if (!method.equals(method.toUpperCase(java.util.Locale.ROOT)) || !path.startsWith("/")) {
            throw new IllegalArgumentException("a rule is METHOD /path, got " + method + " " + path);
        }
        if (access == Access.ADMIN && audit.isEmpty()) {
            throw new IllegalArgumentException(method + " " + path + ": every admin route is audited; name its action");
        }
    }

    /** {@code GET /v1/sources/{source}}: the route as people and the OpenAPI document name it. */
    public String route() {
        return method + " " + path;
    }

    /** This rule, with every call appended to the audit trail as {@code action}. */
    public RouteRule audited(String action) {
        return new RouteRule(method, path, access, scope, Optional.of(action));
    }
}
