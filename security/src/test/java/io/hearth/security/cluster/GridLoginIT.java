package io.hearth.security.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.node.GridSecurity;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A login without TLS (what {@code up --cluster-secret FILE} creates): kept across restarts, refused when it differs. */
class GridLoginIT {
    @TempDir
    Path dir;

    @Test
    void theLoginCreatedOnTheFirstStartStillLogsInAfterARestartAndAnotherSecretIsRefused() throws Exception {
        Path file = dir.resolve("cluster.secret");
        assertThat(ClusterSecret.createWithLogin(file)).isTrue();
        GridSecurity secret = ClusterSecret.read(file);
        NodeSettings s = TestNodes.single(dir.resolve("node")).withSecurity(secret);
        String jdbc = "jdbc:ignite:thin://127.0.0.1:" + s.clientPort();
        try (HearthNode n = new HearthNode(s).start()) {
            query(jdbc, ClusterSecret.jdbcProperties(secret));
        }
        try (HearthNode n = new HearthNode(s).start()) {
            query(jdbc, ClusterSecret.jdbcProperties(secret));
            assertThatThrownBy(() -> query(jdbc, new Properties())).isInstanceOf(SQLException.class)
                .hasMessageContaining("user name or password is incorrect");
        }
        Path other = dir.resolve("other.secret");
        ClusterSecret.createWithLogin(other);
        assertThatThrownBy(() -> new HearthNode(s.withSecurity(ClusterSecret.read(other))).start())
            .hasMessageContaining("do not log in to this cluster: every node and client of a cluster needs the same secret file");
        try (HearthNode n = new HearthNode(s).start()) {
            query(jdbc, ClusterSecret.jdbcProperties(secret));
        }
    }

    private static void query(String jdbc, Properties p) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc, p)) {
            c.createStatement().executeQuery("SELECT 1").close();
        }
    }
}
