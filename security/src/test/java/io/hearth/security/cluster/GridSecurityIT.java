package io.hearth.security.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.node.GridSecurity;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import io.hearth.security.tls.DevCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientAuthenticationException;
import org.apache.ignite.client.ClientConnectionException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.client.SslMode;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with the cluster secret of {@code hearth certs}: the thin-client/JDBC port wants TLS and a login,
 * Ignite's default superuser password is gone, discovery wants a certificate of the cluster's CA.
 */
class GridSecurityIT {
    @TempDir
    static Path dir;
    static HearthNode node;
    static NodeSettings settings;
    static GridSecurity secret;
    static String jdbc;

    @BeforeAll
    static void start() throws Exception {
        DevCertificates.write(dir.resolve("certs"), List.of("localhost", "127.0.0.1"), System.currentTimeMillis());
        secret = ClusterSecret.read(dir.resolve("certs/cluster.secret"));
        settings = TestNodes.single(dir.resolve("node")).withSecurity(secret);
        node = new HearthNode(settings).start();
        jdbc = "jdbc:ignite:thin://127.0.0.1:" + settings.clientPort();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void jdbcWithTheSecretsLoginOverTlsReadsTheGrid() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, ClusterSecret.jdbcProperties(secret));
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM HEARTH.QUARANTINE")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void jdbcWithoutCredentialsIsRefused() {
        Properties tlsOnly = ClusterSecret.jdbcProperties(secret);
        tlsOnly.remove(ClusterSecret.JDBC + "user");
        tlsOnly.remove(ClusterSecret.JDBC + "password");
        assertThatThrownBy(() -> DriverManager.getConnection(jdbc, tlsOnly).close()).isInstanceOf(SQLException.class)
            .hasMessageContaining("user name or password is incorrect");
    }

    @Test
    void ignitesDefaultSuperuserPasswordNoLongerLogsIn() {
        Properties p = ClusterSecret.jdbcProperties(secret);
        p.setProperty(ClusterSecret.JDBC + "user", "ignite");
        p.setProperty(ClusterSecret.JDBC + "password", "ignite");
        assertThatThrownBy(() -> DriverManager.getConnection(jdbc, p).close()).isInstanceOf(SQLException.class)
            .hasMessageContaining("user name or password is incorrect");
    }

    @Test
    void aThinClientWithoutCredentialsIsRefusedAndWithThemServed() {
        ClientConfiguration anonymous = new ClientConfiguration().setAddresses("127.0.0.1:" + settings.clientPort())
            .setSslMode(SslMode.REQUIRED).setSslContextFactory(secret.sslContextFactory().orElseThrow()).setTimeout(10_000);
        assertThatThrownBy(() -> Ignition.startClient(anonymous).close()).isInstanceOf(ClientAuthenticationException.class);
        GridSecurity.Login login = secret.login().orElseThrow();
        try (IgniteClient c = Ignition.startClient(anonymous.setUserName(login.user()).setUserPassword(login.password()))) {
            assertThat(c.cacheNames()).contains("hearth_registry", "hearth_audit");
        }
    }

    @Test
    void aPlainTcpClientIsRefusedWhereTlsIsOn() throws Exception {
        Properties plain = new Properties();
        GridSecurity.Login login = secret.login().orElseThrow();
        plain.setProperty(ClusterSecret.JDBC + "user", login.user());
        plain.setProperty(ClusterSecret.JDBC + "password", login.password());
        assertThatThrownBy(() -> DriverManager.getConnection(jdbc, plain).close()).as("JDBC without sslMode=require")
            .isInstanceOf(SQLException.class);
        ClientConfiguration thin = new ClientConfiguration().setAddresses("127.0.0.1:" + settings.clientPort())
            .setUserName(login.user()).setUserPassword(login.password()).setTimeout(5_000);
        assertThatThrownBy(() -> Ignition.startClient(thin).close()).as("a thin client without TLS")
            .isInstanceOf(ClientConnectionException.class);
        // Discovery: bytes that are not a TLS handshake get a TLS alert (record type 21) and the connection closed.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", settings.discoveryPort()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {0x00, 0x01, 0x02, 0x03, 'h', 'e', 'l', 'l', 'o', '\n'});
            java.io.InputStream in = s.getInputStream();
            assertThat(in.read()).as("a TLS alert record").isEqualTo(21);
            try {
                while (in.read() >= 0) {
                    // the rest of the alert, then the close
                }
            } catch (java.net.SocketException e) {
                // reset: closed as well
            }
        }
    }

    @Test
    void aThickClientWithoutTheClustersCertificateCannotJoin() throws Exception {
        DevCertificates.write(dir.resolve("stranger"), List.of("127.0.0.1"), System.currentTimeMillis());
        GridSecurity stranger = ClusterSecret.read(dir.resolve("stranger/cluster.secret"));
        for (GridSecurity who : List.of(GridSecurity.NONE, stranger)) {
            NodeSettings client = new NodeSettings(null, null, null, 0, TestNodes.freePortBase(), 0, settings.peers(), true, 0,
                0, NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS, who);
            assertThatThrownBy(() -> TestNodes.joinWithin(client, 8_000).close()).as("joining as " + who)
                .isInstanceOf(RuntimeException.class);
        }
        NodeSettings member = new NodeSettings(null, null, null, 0, TestNodes.freePortBase(), 0, settings.peers(), true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS, secret);
        try (org.apache.ignite.Ignite gateway = TestNodes.joinWithin(member, 60_000)) {
            assertThat(gateway.cluster().forServers().nodes()).hasSize(1);
        }
    }
}
