package io.hearth.gateway.http;

import io.vertx.ext.web.RoutingContext;

/** Who is calling: the identity an authentication handler put on the request, else {@value #ANONYMOUS}. */
public final class Callers {
    public static final String ANONYMOUS = "anonymous";

    private Callers() {
    }

    /** The subject of the request's user (set by whatever authenticates requests), or {@value #ANONYMOUS}. */
    public static String identity(RoutingContext ctx) {
        var user = ctx.user();
        String subject = user == null ? null : user.subject();
        return subject == null || subject.isBlank() ? ANONYMOUS : subject;
    }
}
