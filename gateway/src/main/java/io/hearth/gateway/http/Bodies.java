package io.hearth.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;

/** Reading request bodies: media types and JSON, with the errors every endpoint gives for them. */
public final class Bodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Bodies() {
    }

    /** The media type of a Content-Type header, lower case without parameters; "" when absent. */
    public static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The body as JSON after checking it is declared {@code application/json} and not empty. */
    public static JsonNode json(RoutingContext ctx) {
        String type = mediaType(ctx.request().getHeader("Content-Type"));
        if (!type.equals("application/json")) {
            throw ApiException.unsupportedMediaType(type.isEmpty() ? "(none)" : type, "application/json");
        }
        Buffer b = ctx.body().buffer();
        if (b == null || b.length() == 0) {
            throw ApiException.invalid("$", "required", "request body is empty; send a JSON object");
        }
        try {
            return JSON.readTree(b.getBytes());
        } catch (IOException e) {
            throw ApiException.badJson(e.getMessage().split("\n")[0]);
        }
    }
}
