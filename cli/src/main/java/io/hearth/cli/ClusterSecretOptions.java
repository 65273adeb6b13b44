package io.hearth.cli;

import io.hearth.node.GridSecurity;
import io.hearth.security.cluster.ClusterSecret;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The cluster secret file every member and tool of a secured cluster is given: the grid's login and TLS stores
 * (docs/decisions/0020-security.md). Passwords stay in the file, off the command line.
 */
final class ClusterSecretOptions {
    @Option(names = "--cluster-secret", paramLabel = "FILE", description = "The cluster's secret file (default: "
        + "$HEARTH_CLUSTER_SECRET): the grid login and TLS stores (./hearth certs writes one). Every node, gateway and "
        + "tool of a cluster gives the same file.", defaultValue = "${env:HEARTH_CLUSTER_SECRET}")
    Path file;

    /** The grid's security from the file; {@link GridSecurity#NONE} without one. */
    GridSecurity read(boolean insecure) {
        if (file == null) {
            return GridSecurity.NONE.withInsecure(insecure);
        }
        if (ClusterSecret.readableByOthers(file)) {
            System.err.println("hearth: warning: " + file + " is readable by other users of this machine; chmod 600 it");
        }
        return ClusterSecret.read(file).withInsecure(insecure);
    }

    /**
     * For a server node ({@code up}, {@code node}): a file that does not exist yet is created with a login of random
     * passwords (no TLS: ./hearth certs adds that), and said so.
     */
    GridSecurity readOrCreate(boolean insecure) {
        if (file != null && ClusterSecret.createWithLogin(file)) {
            System.err.println("hearth: wrote a new cluster secret " + file + " (a grid login; ./hearth certs makes one "
                + "with TLS). Give the same file to every node, gateway and tool of this cluster.");
        }
        return read(insecure);
    }
}
