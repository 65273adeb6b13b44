package io.hearth.node;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.ignite.ssl.SslContextFactory;

/**
 * How a grid member protects the cluster, on top of the loopback-only addresses of the bundled configuration.
 * <ul>
 *   <li>{@link Tls}: TLS on discovery, communication and the thin-client/JDBC port. Discovery and communication
 *       require the peer's certificate to be signed by the trust store's CA (mutual TLS): that is how nodes and
 *       thick clients (gateways) are authenticated, since Ignite's own authentication covers thin clients only.</li>
 *   <li>{@link Login}: Ignite authentication on; thin clients and JDBC need the user and password. On the first
 *       start of a cluster the node creates the user and replaces the password of Ignite's default superuser
 *       ({@code ignite}/{@code ignite}) by the file's ({@link GridUsers}).</li>
 * </ul>
 * A member listening on an address other than loopback must have both, unless {@code insecure}.
 *
 * @param insecure let the member listen beyond loopback without TLS and a login (a trusted private network)
 */
public record GridSecurity(Optional<Tls> tls, Optional<Login> login, boolean insecure) {
    /** Today's default: loopback only, nothing else. */
    public static final GridSecurity NONE = new GridSecurity(Optional.empty(), Optional.empty(), false);

    /** PKCS#12 stores: this member's key and certificate chain, and the CA it trusts. */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {
        @Override
        public String toString() {
            return "Tls[" + keyStore + ", trust " + trustStore + "]";
        }
    }

    /**
     * Ignite's login of thin clients and JDBC.
     *
     * @param user the user Hearth's tools log in as
     * @param password its password
     * @param superuserPassword the password that replaces {@code ignite}'s default one; only nodes use it, to manage
     *     users
     */
    public record Login(String user, String password, String superuserPassword) {
        @Override
        public String toString() {
            return "Login[" + user + "]";
        }
    }

    public GridSecurity withInsecure(boolean allow) {
        return new GridSecurity(tls, login, allow);
    }

    /** The SSL context of discovery, communication and the client connector; empty without TLS. */
    public Optional<SslContextFactory> sslContextFactory() {
        return tls.map(t -> {
            SslContextFactory f = new SslContextFactory();
            f.setKeyStoreType("PKCS12");
            f.setKeyStoreFilePath(t.keyStore().toAbsolutePath().toString());
            f.setKeyStorePassword(t.keyStorePassword().toCharArray());
            f.setTrustStoreType("PKCS12");
            f.setTrustStoreFilePath(t.trustStore().toAbsolutePath().toString());
            f.setTrustStorePassword(t.trustStorePassword().toCharArray());
            f.setProtocols("TLSv1.3", "TLSv1.2");
            return f;
        });
    }
}
