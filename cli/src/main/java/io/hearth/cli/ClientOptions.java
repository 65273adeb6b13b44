package io.hearth.cli;

import picocli.CommandLine.Option;

/** What every client command needs to reach a gateway: its URL, from --url, else HEARTH_URL, else the default. */
final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL", description = "Gateway URL (default: $HEARTH_URL, else "
        + GatewayClient.DEFAULT_URL + ").", defaultValue = "${env:HEARTH_URL:-" + GatewayClient.DEFAULT_URL + "}")
    String url;

    GatewayClient client() {
        return new GatewayClient(url);
    }
}
