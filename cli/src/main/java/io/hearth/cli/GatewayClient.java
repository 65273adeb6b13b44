package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the client commands (apply, plan, ingest) say to a running gateway, and how its errors read. */
final class GatewayClient {
    static final String DEFAULT_URL = "http://127.0.0.1:6566";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    GatewayClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** A failed call, with the problem body's detail when there is one. */
    static final class CallFailed extends Exception {
        final int status;
        final JsonNode problem;

        CallFailed(int status, JsonNode problem, String message) {
            super(message);
            this.status = status;
            this.problem = problem;
        }

        /** The problem's detail (the gateway's one-line explanation), else the message. */
        String detail() {
            return problem != null && problem.hasNonNull("detail") ? problem.get("detail").asText() : getMessage();
        }
    }

    JsonNode send(String method, String path, String contentType, byte[] body) throws CallFailed, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CallFailed(0, null, "cannot reach Hearth at " + base + " (is `./hearth up` running? point to it with "
                + "--url or HEARTH_URL)");
        } catch (IOException e) {
            throw new CallFailed(0, null, "call to " + base + path + " failed: " + e.getMessage());
        }
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        if (r.statusCode() >= 300) {
            String detail = json != null && json.has("detail") ? json.get("detail").asText() : new String(r.body());
            throw new CallFailed(r.statusCode(), json, "HTTP " + r.statusCode() + ": " + detail);
        }
        return json;
    }
}
