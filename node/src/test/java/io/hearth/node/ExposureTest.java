package io.hearth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.Test;

class ExposureTest {
    private static IgniteConfiguration listening(String localHost, String clientHost) {
        return new IgniteConfiguration().setLocalHost(localHost)
            .setClientConnectorConfiguration(new ClientConnectorConfiguration().setHost(clientHost));
    }

    @Test
    void aMemberOnLoopbackNeedsNothing() {
        IgniteConfiguration cfg = listening("127.0.0.1", "127.0.0.1");
        HearthNode.applySecurity(cfg, GridSecurity.NONE);
        assertThat(cfg.isAuthenticationEnabled()).isFalse();
        assertThat(cfg.getSslContextFactory()).isNull();
    }

    @Test
    void aMemberBeyondLoopbackWithoutTlsAndALoginRefusesToStartSayingHowToFixIt() {
        assertThatThrownBy(() -> HearthNode.applySecurity(listening("0.0.0.0", null), GridSecurity.NONE))
            .isInstanceOfSatisfying(HearthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIGURATION))
            .hasMessageContaining("discovery and communication on 0.0.0.0")
            .hasMessageContaining("--cluster-secret FILE (./hearth certs makes one), or --insecure");
        assertThatThrownBy(() -> HearthNode.applySecurity(listening("127.0.0.1", "0.0.0.0"), GridSecurity.NONE))
            .hasMessageContaining("the thin-client/JDBC port on 0.0.0.0");
        GridSecurity loginOnly = new GridSecurity(Optional.empty(), Optional.of(new GridSecurity.Login("h", "p", "s")), false);
        assertThatThrownBy(() -> HearthNode.applySecurity(listening(null, null), loginOnly))
            .hasMessageContaining("every interface");
    }

    @Test
    void insecureLetsItListenAnyway() {
        IgniteConfiguration cfg = listening("0.0.0.0", "0.0.0.0");
        HearthNode.applySecurity(cfg, GridSecurity.NONE.withInsecure(true));
        assertThat(cfg.getLocalHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void tlsCoversTheClientConnectorAndALoginTurnsAuthenticationOn() {
        IgniteConfiguration cfg = listening("127.0.0.1", "127.0.0.1");
        HearthNode.applySecurity(cfg, new GridSecurity(Optional.of(new GridSecurity.Tls(Path.of("k.p12"), "a",
            Path.of("t.p12"), "b")), Optional.of(new GridSecurity.Login("h", "p", "s")), false));
        assertThat(cfg.getSslContextFactory()).isNotNull();
        assertThat(cfg.getClientConnectorConfiguration().isSslEnabled()).isTrue();
        assertThat(cfg.getClientConnectorConfiguration().isSslClientAuth()).isFalse();
        assertThat(cfg.isAuthenticationEnabled()).isTrue();
    }
}
