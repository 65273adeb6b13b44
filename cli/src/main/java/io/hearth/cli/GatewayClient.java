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
    private final String token;
    private final HttpClient http;

    GatewayClient(String base) {
        this(base, null, null);
    }

    /**
     * @param token the API key to present, or null
     * @param cacert PEM certificates to trust for HTTPS, or null for the system's
     */
    GatewayClient(String base, String token, java.nio.file.Path cacert) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token == null || token.isBlank() ? null : token.trim();
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1);
        if (cacert != null) {
            b.sslContext(trusting(cacert));
        }
        this.http = b.build();
    }

    /** An SSL context trusting the certificates of a PEM file (a development CA). */
    private static javax.net.ssl.SSLContext trusting(java.nio.file.Path pem) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (java.security.cert.X509Certificate c : io.hearth.security.tls.Pem.readCertificates(pem)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("--cacert " + pem + " holds no certificate");
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + pem + ": " + e.getMessage(), e);
        }
    }

    /** A failed call, with the problem body's detail when there is one. */
    static final class CallFailed extends Exception {
        final int status;
        final JsonNode problem;
        private final String hint;

        CallFailed(int status, JsonNode problem, String message) {
            this(status, problem, message, "");
        }

        CallFailed(int status, JsonNode problem, String message, String hint) {
            super(message + hint);
            this.status = status;
            this.problem = problem;
            this.hint = hint;
        }

        /** The problem's detail (the gateway's one-line explanation), else the message. */
        String detail() {
            return problem != null && problem.hasNonNull("detail") ? problem.get("detail").asText() + hint : getMessage();
        }
    }

    JsonNode send(String method, String path, String contentType, byte[] body) throws CallFailed, InterruptedException {
        return parse(exchange(method, path, contentType, body));
    }

    /** The body of a successful answer as text (JSON lines, say). */
    String text(String method, String path) throws CallFailed, InterruptedException {
        HttpResponse<byte[]> r = exchange(method, path, null, null);
        parse(r); // throws for an error answer
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Streams a successful GET's body to a file (a training set's data: possibly larger than memory). */
    void download(String path, java.nio.file.Path to) throws CallFailed, InterruptedException, IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                byte[] body = in.readAllBytes();
                JsonNode json;
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    json = null;
                }
                throw new CallFailed(r.statusCode(), json, "download failed: HTTP " + r.statusCode() + ": "
                    + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            java.nio.file.Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private HttpResponse<byte[]> exchange(String method, String path, String contentType, byte[] body)
        throws CallFailed, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
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
        return r;
    }

    private JsonNode parse(HttpResponse<byte[]> r) throws CallFailed {
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = null;
        }
        if (r.statusCode() >= 300) {
            String detail = json != null && json.has("detail") ? json.get("detail").asText() : new String(r.body());
            String hint = r.statusCode() != 401 ? "" : token == null ? " (give a key: --token, or HEARTH_TOKEN)"
                : " (the key of --token or HEARTH_TOKEN)";
            throw new CallFailed(r.statusCode(), json, "HTTP " + r.statusCode() + ": " + detail, hint);
        }
        return json;
    }
}
