package io.hearth.gateway.http;

import io.hearth.catalog.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;

/** Reading request bodies: media types and JSON, with the errors every endpoint gives for them. */
public final class Bodies {
    /** Duplicate keys are refused: which of two values a client meant cannot be known. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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
        return parse(b.getBytes());
    }

    /** Bytes as one JSON value, with duplicate keys and trailing content refused. */
    public static JsonNode parse(byte[] bytes) {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(bytes)) {
            JsonNode n = JSON.readTree(p);
            if (n == null) {
                throw ApiException.invalid("$", "required", "request body is empty; send a JSON object");
            }
            if (p.nextToken() != null) {
                throw ApiException.badJson("more content after the JSON value at " + location(p.currentLocation()));
            }
            return n;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, null, "json.limits", "request body is past what "
                + "Hearth reads: " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            String m = e.getOriginalMessage();
            if (m.startsWith("Duplicate field '")) {
                String field = m.substring("Duplicate field '".length(), Math.max("Duplicate field '".length(),
                    m.lastIndexOf('\'')));
                throw new ApiException(ErrorCode.MALFORMED_JSON, Fields.shorten(field), "json.duplicate_key",
                    "key '" + Fields.shorten(field) + "' appears twice in one object at " + location(e.getLocation()));
            }
            throw ApiException.badJson(Fields.shorten(m) + " at " + location(e.getLocation()));
        } catch (IOException e) {
            throw ApiException.badJson(Fields.shorten(String.valueOf(e.getMessage()).split("\n")[0]));
        }
    }

    private static String location(com.fasterxml.jackson.core.JsonLocation loc) {
        return loc == null ? "?" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
