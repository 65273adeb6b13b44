package io.hearth.cli;

import io.hearth.gateway.HearthGateway;
import io.hearth.security.keys.KeyFileWatch;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code up} and {@code gateway} serve HTTP: the address, the API keys, HTTPS. Without {@code --auth-file} the
 * gateway needs no key and listens on loopback only; another {@code --host} then needs {@code --insecure}.
 */
final class ServeOptions {
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address the HTTP gateway listens on (default: "
        + "${DEFAULT-VALUE}; another one needs --auth-file, or --insecure).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--auth-file", paramLabel = "FILE", description = "API keys with roles (YAML; ./hearth keys new "
        + "prints a key and its line). Every request but /health and /openapi.yaml then needs 'Authorization: Bearer "
        + "<secret>'. Read again when it changes.")
    Path authFile;

    @Option(names = "--insecure", description = "Serve without API keys on an address other than loopback (and let "
        + "the node listen beyond loopback without TLS): only on a network you trust.")
    boolean insecure;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this certificate chain (PEM, "
        + "e.g. node.pem of ./hearth certs); needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The private key of --tls-cert (PEM, PKCS#8).")
    Path tlsKey;

    /** How often the key file is checked for changes. */
    static final long KEY_FILE_CHECK_MILLIS = 1000;

    /** The key file, read now and watched from now on; empty without --auth-file. The caller closes it. */
    Optional<KeyFileWatch> keys() {
        return Optional.ofNullable(authFile).map(f -> new KeyFileWatch(f).start(KEY_FILE_CHECK_MILLIS));
    }

    /** The gateway's settings for these options. */
    HearthGateway.Settings apply(HearthGateway.Settings base, Optional<KeyFileWatch> keys) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key come together");
        }
        HearthGateway.Security security = new HearthGateway.Security(keys.<io.hearth.security.keys.ApiKeys>map(k -> k),
            Optional.empty(), insecure);
        if (tlsCert != null) {
            security = security.withHttps(new HearthGateway.Https(tlsCert, tlsKey));
        }
        return base.withHost(host).withSecurity(security);
    }

    /** The URL clients on this machine use: loopback when the gateway listens on every address. */
    String url(HearthGateway gateway) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return gateway.scheme() + "://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + gateway.port();
    }
}
