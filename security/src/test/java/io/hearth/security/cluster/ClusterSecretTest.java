package io.hearth.security.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.node.GridSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
    @TempDir
    Path dir;

    @Test
    void aMissingSecretFileIsCreatedWithALoginOfRandomPasswordsReadableByItsOwnerOnly() throws Exception {
        Path f = dir.resolve("sub/cluster.secret");
        assertThat(ClusterSecret.createWithLogin(f)).isTrue();
        assertThat(ClusterSecret.createWithLogin(f)).as("never overwritten").isFalse();
        assertThat(ClusterSecret.readableByOthers(f)).isFalse();
        GridSecurity s = ClusterSecret.read(f);
        assertThat(s.tls()).isEmpty();
        GridSecurity.Login l = s.login().orElseThrow();
        assertThat(l.user()).isEqualTo("hearth");
        assertThat(l.password()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(l.superuserPassword());
        assertThat(ClusterSecret.jdbcProperties(s)).containsEntry(ClusterSecret.JDBC + "user", "hearth").doesNotContainKey(ClusterSecret.JDBC + "sslMode");
    }

    @Test
    void aBrokenSecretFileIsRefusedNamingTheProblem() throws Exception {
        Path f = dir.resolve("s");
        Files.writeString(f, "user=hearth\npassword=x\n");
        assertThatThrownBy(() -> ClusterSecret.read(f)).isInstanceOfSatisfying(HearthException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
            .hasMessageContaining("has user, password but not superuser_password (they come together)");
        Files.writeString(f, "usr=hearth\n");
        assertThatThrownBy(() -> ClusterSecret.read(f)).hasMessageContaining("unknown key 'usr'; did you mean 'user'?");
        Files.writeString(f, "user=ignite\npassword=x\nsuperuser_password=y\n");
        assertThatThrownBy(() -> ClusterSecret.read(f)).hasMessageContaining("may not be 'ignite'");
        Files.writeString(f, "keystore=none.p12\nkeystore_password=a\ntruststore=none.p12\ntruststore_password=b\n");
        assertThatThrownBy(() -> ClusterSecret.read(f)).hasMessageContaining("cannot read " + dir.resolve("none.p12"));
        assertThatThrownBy(() -> ClusterSecret.read(dir.resolve("absent"))).hasMessageContaining("cannot read it");
    }
}
