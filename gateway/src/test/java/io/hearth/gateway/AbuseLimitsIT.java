package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.testing.TestKeys;
import io.hearth.security.tls.DevCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that would hold or flood a gateway: a request head trickled a byte at a time (slowloris), headers past the
 * limit, a key over its rate or its requests in flight; and the gateway's exposure rules and HTTPS.
 */
class AbuseLimitsIT {
    static final String LIMITED = "hs_limited-secret-for-tests-only-000000000000";
    static final String ONE_AT_A_TIME = "hs_one-at-a-time-secret-for-tests-only-00000";
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        String keys = TestKeys.file(TestKeys.key("limited", LIMITED, "[reader]", "    rate: 2/s\n")
            + TestKeys.key("one-at-a-time", ONE_AT_A_TIME, "[writer]", "    max_concurrent: 1\n"));
        h = new Harness(dir.resolve("node"), System.currentTimeMillis(), 1L << 30, s -> s
            .withSecurity(HearthGateway.Security.keys(KeyFile.parse("keys.yaml", keys)))
            .withLimits(new HearthGateway.Limits(8 * 1024, Duration.ofSeconds(30), Duration.ofMillis(1000)))).start();
        assertThat(h.send("PUT", "/v1/registry", "application/yaml", HttpRequest.BodyPublishers.ofString(Harness.DEMO_YAML),
            Map.of("Authorization", "Bearer " + TestKeys.ADMIN)).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static Harness.Response get(String path, String secret) {
        return h.send("GET", path, null, null, Map.of("Authorization", "Bearer " + secret));
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterUntilItsBudgetRefills() {
        assertThat(get("/v1/sources", LIMITED).status()).isEqualTo(200);
        assertThat(get("/v1/sources", LIMITED).status()).isEqualTo(200);
        Harness.Response r = get("/v1/sources", LIMITED);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.json().get("code").asText()).isEqualTo(ErrorCode.RATE_LIMITED.code());
        assertThat(r.json().get("rule").asText()).isEqualTo("rate.requests");
        assertThat(get("/v1/sources", TestKeys.READER).status()).as("other keys are not held back").isEqualTo(200);
        h.clock.advance(500);
        assertThat(get("/v1/sources", LIMITED).status()).isEqualTo(200);
    }

    @Test
    void aKeyWithARequestInFlightAtItsLimitGets429AndThePermitReturnsWhenTheClientLeaves() throws Exception {
        String head = "POST /v1/ingest/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ONE_AT_A_TIME
            + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n{\"customer_id\":";
        try (Socket held = new Socket("127.0.0.1", h.gateway.port())) {
            held.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            held.getOutputStream().flush();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/sources", ONE_AT_A_TIME).status() == 429);
            Harness.Response r = get("/v1/sources", ONE_AT_A_TIME);
            assertThat(r.json().get("rule").asText()).isEqualTo("rate.concurrent");
            assertThat(r.header("Retry-After")).isEqualTo("1");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> get("/v1/sources", ONE_AT_A_TIME).status() == 200);
    }

    @Test
    void aSlowlorisConnectionIsClosedWhileOthersAreServed() throws Exception {
        ScheduledExecutorService trickle = Executors.newScheduledThreadPool(1);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket s = new Socket("127.0.0.1", h.gateway.port());
                s.setSoTimeout(10_000);
                slow.add(s);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            }
            // a byte every 100 ms: never idle, never a complete head
            trickle.scheduleAtFixedRate(() -> slow.forEach(s -> {
                try {
                    s.getOutputStream().write('a');
                } catch (IOException e) {
                    // closed by the gateway: what the test waits for
                }
            }), 100, 100, TimeUnit.MILLISECONDS);
            assertThat(h.get("/health").status()).as("others are served meanwhile").isEqualTo(200);
            long t0 = System.nanoTime();
            for (Socket s : slow) {
                assertThat(readUntilClosed(s.getInputStream())).as("closed without an answer").isEmpty();
            }
            assertThat((System.nanoTime() - t0) / 1e9).as("closed at the head timeout (1 s), not the idle timeout (30 s)")
                .isLessThan(8);
            assertThat(h.get("/health").status()).isEqualTo(200);
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aKeptAliveConnectionMayIdleButItsNextHeadIsTimedFromItsFirstByte() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
            s.setSoTimeout(10_000);
            String ask = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            s.getOutputStream().write(ask.getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
            long answered = System.nanoTime();
            // idle for three head timeouts: a keep-alive connection is the idle timeout's (30 s here), not the head's
            Awaitility.await().pollDelay(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(5)).until(() ->
                System.nanoTime() - answered > 3_000_000_000L);
            s.getOutputStream().write(ask.getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
            // then a second head trickled: closed a head timeout after its first byte
            ScheduledExecutorService trickle = Executors.newScheduledThreadPool(1);
            try {
                s.getOutputStream().write("GET /health HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                trickle.scheduleAtFixedRate(() -> {
                    try {
                        s.getOutputStream().write('a');
                    } catch (IOException e) {
                        // closed: what the test waits for
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                assertThat(readUntilClosed(s.getInputStream())).isEmpty();
            } finally {
                trickle.shutdownNow();
            }
        }
    }

    /** One answer of /health (a small body with Content-Length), read without waiting for the connection to close. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int contentLength = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return sb.toString();
            }
            sb.append((char) c);
            if (sb.toString().endsWith("\r\n\r\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(sb);
                contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
                break;
            }
        }
        sb.append(new String(in.readNBytes(contentLength), StandardCharsets.ISO_8859_1));
        return sb.toString();
    }

    @Test
    void aConnectionThatAsksNothingIsClosedAfterTheHeadTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
            s.setSoTimeout(10_000);
            assertThat(readUntilClosed(s.getInputStream())).isEmpty();
        }
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        try (Socket s = new Socket("127.0.0.1", h.gateway.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 431").contains("Connection: close").contains("\"rule\":\"header.size\"");
        }
        assertThat(h.get("/health").status()).isEqualTo(200);
    }

    @Test
    void withoutKeysAGatewayRefusesToListenBeyondLoopbackUnlessInsecure() {
        HearthGateway.Settings exposed = HearthGateway.Settings.defaults(0).withHost("0.0.0.0");
        assertThatThrownBy(() -> new HearthGateway(h.node.ignite(), exposed, h.clock).start())
            .isInstanceOfSatisfying(HearthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
            .hasMessageContaining("refusing to listen on 0.0.0.0 without API keys")
            .hasMessageContaining("--auth-file FILE").hasMessageContaining("--insecure");
        try (HearthGateway insecure = new HearthGateway(h.node.ignite(), exposed.withSecurity(
            new HearthGateway.Security(java.util.Optional.empty(), java.util.Optional.empty(), true)), h.clock).start()) {
            assertThat(insecure.port()).isPositive();
        }
        try (HearthGateway keyed = new HearthGateway(h.node.ignite(), exposed.withSecurity(HearthGateway.Security.keys(
            KeyFile.parse("k.yaml", TestKeys.file()))), h.clock).start()) {
            assertThat(keyed.port()).isPositive();
        }
    }

    @Test
    void withACertificateTheGatewayServesHttpsAndRefusesPlainHttp() throws Exception {
        Path certs = dir.resolve("certs");
        DevCertificates.write(certs, List.of("localhost", "127.0.0.1"), System.currentTimeMillis());
        HearthGateway.Settings s = HearthGateway.Settings.defaults(0).withSecurity(HearthGateway.Security.keys(
            KeyFile.parse("k.yaml", TestKeys.file())).withHttps(new HearthGateway.Https(certs.resolve("node.pem"),
            certs.resolve("node-key.pem"))));
        try (HearthGateway tls = new HearthGateway(h.node.ignite(), s, h.clock).start()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", io.hearth.security.tls.Pem.readCertificates(certs.resolve("ca.pem")).get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + tls.port()
                + "/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("- url: https://localhost:" + tls.port());
            HttpResponse<String> keyed = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.port()
                + "/v1/sources")).header("Authorization", "Bearer " + TestKeys.READER).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(keyed.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + tls.port() + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("plain HTTP to the HTTPS port").isInstanceOf(IOException.class);
        }
    }

    /** Reads until the server closes the connection (or resets it); what it sent. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException e) {
            // reset: closed
        }
        return sb.toString();
    }
}
