package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.node.TestNodes;
import io.hearth.security.cluster.ClusterSecret;
import io.hearth.security.testing.TestKeys;
import io.hearth.security.tls.DevCertificates;
import io.hearth.security.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth up} as a process with every protection on (keys, HTTPS, grid TLS and login), a second node joining
 * it with the cluster's certificate, keys changed in the file while it runs: what an operator does, end to end.
 */
class SecuredUpIT {
    private static final Path JVM_OPTIONS = Path.of("../config/jvm.options").toAbsolutePath();
    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private Process spawn(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + JVM_OPTIONS, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            "io.hearth.cli.HearthCli"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
            .start();
        processes.add(p);
        return p;
    }

    private static void awaitLog(Process p, Path log, String text) {
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("exited (" + p.exitValue() + "):\n" + Files.readString(log));
            }
            return Files.readString(log).contains(text);
        });
    }

    @Test
    void aSecuredUpAnswersEachRoleAsItShouldTakesNewKeysWithoutARestartAndLetsOnlyItsOwnMembersIn() throws Exception {
        Path certs = dir.resolve("certs");
        DevCertificates.write(certs, List.of("localhost", "127.0.0.1"), System.currentTimeMillis());
        Path keys = dir.resolve("keys.yaml");
        Files.writeString(keys, TestKeys.file());
        int http = TestNodes.freePort();
        int client = TestNodes.freePortBase();
        int disco = TestNodes.freePortBase();
        int comm = TestNodes.freePortBase();
        Path upLog = dir.resolve("up.log");
        Process up = spawn(upLog, "up", "--data-dir", "data", "--port", "" + http, "--client-port", "" + client,
            "--discovery-port", "" + disco, "--communication-port", "" + comm, "--auth-file", keys.toString(),
            "--cluster-secret", certs.resolve("cluster.secret").toString(), "--tls-cert", certs.resolve("node.pem").toString(),
            "--tls-key", certs.resolve("node-key.pem").toString());
        awaitLog(up, upLog, "Hearth is up");
        assertThat(Files.readString(upLog)).contains("https://127.0.0.1:" + http).contains("keys       4 from");

        HttpClient https = HttpClient.newBuilder().sslContext(trusting(certs.resolve("ca.pem"))).build();
        String base = "https://127.0.0.1:" + http;
        assertThat(status(https, base + "/health", null)).isEqualTo(200);
        assertThat(status(https, base + "/v1/registry", null)).isEqualTo(401);
        assertThat(status(https, base + "/v1/registry", TestKeys.READER)).isEqualTo(200);
        assertThat(status(https, base + "/v1/audit", TestKeys.WRITER)).isEqualTo(403);
        assertThat(status(https, base + "/v1/audit", TestKeys.ADMIN)).isEqualTo(200);

        // A key added to the file works within a second or two; a removed one stops working.
        Files.writeString(keys, "keys:\n" + TestKeys.key("late", "hs_late-key-of-this-test", "[reader]", "")
            + TestKeys.key("ops", TestKeys.ADMIN, "[admin]", ""));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> status(https, base + "/v1/sources",
            "hs_late-key-of-this-test") == 200);
        assertThat(status(https, base + "/v1/sources", TestKeys.READER)).as("removed from the file").isEqualTo(401);

        // JDBC over TLS with the secret's login; without it, refused.
        String jdbc = "jdbc:ignite:thin://127.0.0.1:" + client;
        var secret = ClusterSecret.read(certs.resolve("cluster.secret"));
        try (var c = DriverManager.getConnection(jdbc, ClusterSecret.jdbcProperties(secret))) {
            assertThat(c.createStatement().executeQuery("SELECT 1").next()).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(jdbc).close()).isInstanceOf(SQLException.class);

        // A second node with the cluster's secret joins over mutual TLS.
        Path nodeLog = dir.resolve("node.log");
        Process node = spawn(nodeLog, "node", "--data-dir", "data2", "--peers", "127.0.0.1:" + disco, "--discovery-port",
            "" + TestNodes.freePortBase(), "--communication-port", "" + TestNodes.freePortBase(), "--client-port",
            "" + TestNodes.freePortBase(), "--region-mb", "128", "--cluster-secret", certs.resolve("cluster.secret").toString());
        awaitLog(node, nodeLog, "is up");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> body(https, base + "/health").contains(
            "\"server_nodes\":2"));

        assertThat(body(https, base + "/v1/audit?format=jsonl&actor=-", TestKeys.ADMIN)).contains("\"action\":\"auth.failed\"");
    }

    private static int status(HttpClient c, String url, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(HttpClient c, String url) throws IOException, InterruptedException {
        return body(c, url, null);
    }

    private static String body(HttpClient c, String url, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", Pem.readCertificates(pem).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
