package io.hearth.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * What every client command needs to reach a gateway: its URL (--url, else HEARTH_URL, else the default), the API
 * key it presents (--token, else HEARTH_TOKEN: an environment variable keeps it off the command line, where ps shows
 * it), and the CA to trust for an HTTPS gateway with a development certificate (--cacert, else HEARTH_CACERT).
 */
final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL", description = "Gateway URL (default: $HEARTH_URL, else "
        + GatewayClient.DEFAULT_URL + ").", defaultValue = "${env:HEARTH_URL:-" + GatewayClient.DEFAULT_URL + "}")
    String url;

    @Option(names = "--token", paramLabel = "SECRET", description = "API key sent as 'Authorization: Bearer' "
        + "(default: $HEARTH_TOKEN; prefer the variable: a command line is visible to every user of the machine).",
        defaultValue = "${env:HEARTH_TOKEN}")
    String token;

    @Option(names = "--cacert", paramLabel = "FILE", description = "PEM certificate(s) to trust for an https:// gateway "
        + "(default: $HEARTH_CACERT, else the system's CAs), e.g. the ca.pem of ./hearth certs.",
        defaultValue = "${env:HEARTH_CACERT}")
    Path cacert;

    GatewayClient client() {
        return new GatewayClient(url, token, cacert);
    }
}
