package io.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.gateway.Harness;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import io.hearth.security.cluster.ClusterSecret;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a secured cluster: keys and certificates made by the CLI, client commands presenting --token,
 * {@code sql} logging in with the cluster secret, {@code audit} and {@code reset-lost} through the gateway.
 */
class SecureCliIT {
    @TempDir
    static Path dir;
    static HearthNode node;
    static HearthGateway gateway;
    static NodeSettings settings;
    static String url;

    @BeforeAll
    static void start() {
        CliIT.Run certs = run("certs", "--out", dir.resolve("certs").toString());
        assertThat(certs.code()).as(certs.err()).isZero();
        settings = TestNodes.single(dir.resolve("node")).withSecurity(ClusterSecret.read(dir.resolve("certs/cluster.secret")));
        node = new HearthNode(settings).start();
        gateway = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(0).withSecurity(HearthGateway.Security
            .keys(KeyFile.parse("keys.yaml", TestKeys.file()))), Clock.systemUTC()).start();
        url = "http://127.0.0.1:" + gateway.port();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /** The CLI in this JVM, its output captured ({@link CliIT#run}). */
    static CliIT.Run run(String... args) {
        return CliIT.run(args);
    }

    @Test
    void keysNewPrintsASecretAndTheLineOfTheKeyFileThatKnowsOnlyItsHash() {
        CliIT.Run r = run("keys", "new", "--id", "orders-ingest", "--role", "writer", "--sources", "orders", "--rate", "100/s");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        String secret = lines.get(0);
        assertThat(secret).startsWith("hs_");
        assertThat(lines.get(1)).startsWith("  - {id: orders-ingest, secret_sha256: ").doesNotContain(secret)
            .endsWith("roles: [writer], sources: [orders], rate: 100/s}");
        var key = KeyFile.parse("k.yaml", "keys:\n" + lines.get(1) + "\n").find(secret).orElseThrow();
        assertThat(key.covers("orders")).isTrue();
        assertThat(key.covers("profiles")).isFalse();

        CliIT.Run bad = run("keys", "new", "--id", "x", "--role", "superuser");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown role 'superuser'").doesNotContain("hs_");
    }

    @Test
    void certsWritesTheCaTheMemberCertificateTheStoresAndTheSecret() {
        for (String f : List.of("ca.pem", "ca-key.pem", "node.pem", "node-key.pem", "node.p12", "trust.p12", "cluster.secret")) {
            assertThat(dir.resolve("certs").resolve(f)).exists();
        }
        assertThat(ClusterSecret.readableByOthers(dir.resolve("certs/cluster.secret"))).isFalse();
    }

    @Test
    void clientCommandsPresentTheirTokenAndSayWhatToDoWithoutOne() throws Exception {
        Path defs = dir.resolve("shop.yaml");
        Files.writeString(defs, Harness.DEMO_YAML);
        CliIT.Run anonymous = run("apply", defs.toString(), "--url", url);
        assertThat(anonymous.code()).isEqualTo(1);
        assertThat(anonymous.err()).contains("needs an API key").contains("(give a key: --token, or HEARTH_TOKEN)");
        CliIT.Run reader = run("apply", defs.toString(), "--url", url, "--token", TestKeys.READER);
        assertThat(reader.code()).isEqualTo(1);
        assertThat(reader.err()).contains("key 'trainer' has role reader; PUT /v1/registry needs role admin");
        CliIT.Run admin = run("apply", defs.toString(), "--url", url, "--token", TestKeys.ADMIN);
        assertThat(admin.code()).as(admin.err()).isZero();
        assertThat(run("registry", "--url", url, "--token", TestKeys.READER).code()).isZero();

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CliIT.Run audit = run("audit", "--url", url, "--token", TestKeys.ADMIN, "--action", "registry.apply");
            assertThat(audit.code()).as(audit.err()).isZero();
            assertThat(audit.out().lines().toList()).singleElement().asString().contains("\"actor\":\"ops\"")
                .contains("\"status\":200");
        });
        CliIT.Run denied = run("audit", "--url", url, "--token", TestKeys.WRITER);
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).contains("needs role admin");
    }

    @Test
    void resetLostThroughTheGatewayNeedsAnAdminKey() {
        CliIT.Run r = run("reset-lost", "--url", url, "--token", TestKeys.ADMIN);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("No lost partitions.");
        CliIT.Run reader = run("reset-lost", "--url", url, "--token", TestKeys.READER, "--dry-run");
        assertThat(reader.code()).isEqualTo(1);
        assertThat(reader.err()).contains("needs role admin");
    }

    @Test
    void sqlLogsInWithTheClusterSecretAndSaysWhatIsMissingWithoutIt() {
        String jdbc = "jdbc:ignite:thin://127.0.0.1:" + settings.clientPort();
        CliIT.Run ok = run("sql", "--jdbc", jdbc, "--cluster-secret", dir.resolve("certs/cluster.secret").toString(),
            "SELECT COUNT(*) FROM HEARTH.QUARANTINE");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("(1 row)");
        CliIT.Run without = run("sql", "--jdbc", jdbc, "SELECT 1");
        assertThat(without.code()).isEqualTo(1);
        assertThat(without.err()).contains("--cluster-secret FILE or HEARTH_CLUSTER_SECRET");
    }
}
