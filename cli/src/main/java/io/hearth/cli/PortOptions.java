package io.hearth.cli;

import io.hearth.cli.Ports;
import picocli.CommandLine.Option;

/**
 * The grid ports a process binds, shared by {@code up}, {@code node} and {@code gateway}. A port that is taken is
 * replaced by the next free one, and the command says which it took, so two Hearths on one machine do not collide.
 */
final class PortOptions {
    @Option(names = "--discovery-port", paramLabel = "N", description = "Ignite discovery port (default: 47500, or the "
        + "next free one).")
    Integer discovery;

    @Option(names = "--communication-port", paramLabel = "N", description = "Ignite communication port (default: "
        + "47100, or the next free one).")
    Integer communication;

    static final int DISCOVERY = 47500;
    static final int COMMUNICATION = 47100;
    static final int CLIENT = 10800;
    static final int HTTP = 6566;

    int discovery() {
        return choose(discovery, DISCOVERY, "--discovery-port");
    }

    int communication() {
        return choose(communication, COMMUNICATION, "--communication-port");
    }

    /**
     * The port to bind: {@code requested} (else {@code dflt}) when free, else the next free one above it, said on
     * stderr when it differs from an explicit request or from the default.
     */
    static int choose(Integer requested, int dflt, String flag) {
        int want = requested != null ? requested : dflt;
        if (want == 0) {
            return 0;
        }
        int got = Ports.firstFree(want, 100);
        if (got != want) {
            System.err.println("hearth: port " + want + " (" + flag + ") is in use; using " + got + " instead");
        }
        return got;
    }
}
