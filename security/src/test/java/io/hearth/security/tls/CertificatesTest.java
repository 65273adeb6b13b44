package io.hearth.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.node.GridSecurity;
import io.hearth.security.cluster.ClusterSecret;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    @TempDir
    Path dir;

    @Test
    void aMemberCertificateIsSignedByTheCaAndNamesItsHosts() throws Exception {
        long now = System.currentTimeMillis();
        Certificates.Issued ca = Certificates.authority("Test CA", now - 1000, now + 86_400_000L);
        Certificates.Issued m = Certificates.member("node", List.of("localhost", "127.0.0.1"), ca, now - 1000, now + 86_400_000L);
        X509Certificate c = m.certificate();
        c.verify(ca.certificate().getPublicKey());
        c.checkValidity();
        ca.certificate().verify(ca.certificate().getPublicKey());
        assertThat(ca.certificate().getBasicConstraints()).as("a CA").isEqualTo(0);
        assertThat(c.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(c.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)).toList()).containsExactly("localhost", "127.0.0.1");
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
    }

    @Test
    void theWrittenStoresCarryAMutualTlsHandshakeAndAStrangerIsRefused() throws Exception {
        DevCertificates.Written w = DevCertificates.write(dir.resolve("certs"), List.of("localhost", "127.0.0.1"),
            System.currentTimeMillis());
        assertThat(w.newAuthority()).isTrue();
        assertThat(w.files()).extracting(p -> p.getFileName().toString()).containsExactly("ca.pem", "ca-key.pem", "node.pem",
            "node-key.pem", "node.p12", "trust.p12", "cluster.secret");
        assertThat(Files.getPosixFilePermissions(dir.resolve("certs/node-key.pem"))).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        GridSecurity sec = ClusterSecret.read(dir.resolve("certs/cluster.secret"));
        assertThat(sec.login()).isPresent();
        SSLContext ctx = sec.sslContextFactory().orElseThrow().create();
        assertThat(handshake(ctx, ctx)).isEqualTo("ok");

        DevCertificates.write(dir.resolve("other"), List.of("127.0.0.1"), System.currentTimeMillis());
        SSLContext stranger = ClusterSecret.read(dir.resolve("other/cluster.secret")).sslContextFactory().orElseThrow().create();
        assertThatThrownBy(() -> handshake(ctx, stranger)).as("a member of another CA").isInstanceOf(javax.net.ssl.SSLException.class);
    }

    @Test
    void aSecondRunKeepsTheCaAndTheSecretsPasswords() throws Exception {
        Path d = dir.resolve("certs");
        DevCertificates.write(d, List.of("127.0.0.1"), System.currentTimeMillis());
        String ca = Files.readString(d.resolve("ca.pem"));
        String password = ClusterSecret.values(d.resolve("cluster.secret")).get("password");
        DevCertificates.Written again = DevCertificates.write(d, List.of("127.0.0.1", "gw.example"), System.currentTimeMillis());
        assertThat(again.newAuthority()).isFalse();
        assertThat(Files.readString(d.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(ClusterSecret.values(d.resolve("cluster.secret")).get("password")).isEqualTo(password);
        X509Certificate member = Pem.readCertificates(d.resolve("node.pem")).get(0);
        member.verify(Pem.readCertificates(d.resolve("ca.pem")).get(0).getPublicKey());
        assertThat(Pem.readPrivateKey(d.resolve("node-key.pem")).getAlgorithm()).isEqualTo("EC");
    }

    /** A TLS server demanding a client certificate, one client: "ok" when both ends accept each other. */
    private static String handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
            InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept(); OutputStream out = s.getOutputStream()) {
                    s.startHandshake();
                    out.write('k');
                } catch (Exception e) {
                    // the client reports the failure
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                ss.getLocalPort()); InputStream in = c.getInputStream()) {
                c.setSoTimeout(10_000);
                javax.net.ssl.SSLParameters p = c.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                c.setSSLParameters(p);
                c.startHandshake();
                int b = in.read();
                if (b != 'k') {
                    throw new javax.net.ssl.SSLException("the server closed the connection");
                }
            } finally {
                accepted.get(10, TimeUnit.SECONDS);
            }
        }
        return "ok";
    }
}
