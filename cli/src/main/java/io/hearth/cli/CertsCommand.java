package io.hearth.cli;

import io.hearth.security.tls.DevCertificates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth certs}: a development CA, a certificate for the cluster's members and the cluster secret file. */
@Command(name = "certs", description = "Make a development CA and a member certificate for the given hosts (TLS of "
    + "the grid and the gateway's HTTPS), with a cluster secret file holding the stores' passwords and a grid login. "
    + "Run again to issue a certificate for other hosts from the same CA.")
final class CertsCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write into (default: ${DEFAULT-VALUE}).",
        defaultValue = "hearth-certs")
    Path out;

    @Option(names = "--host", paramLabel = "NAME|IP", description = "A host name or address the certificate is for, "
        + "repeatable (default: localhost and 127.0.0.1).")
    List<String> hosts;

    @Override
    public Integer call() throws Exception {
        List<String> names = hosts == null || hosts.isEmpty() ? List.of("localhost", "127.0.0.1") : new ArrayList<>(hosts);
        DevCertificates.Written w = DevCertificates.write(out, names, System.currentTimeMillis());
        System.out.println((w.newAuthority() ? "A new development CA and a" : "A") + " member certificate for "
            + String.join(", ", names) + " in " + out + ":");
        for (Path f : w.files()) {
            System.out.println("  " + f);
        }
        System.out.println();
        System.out.println("Grid TLS and login:  --cluster-secret " + out.resolve("cluster.secret") + "   (every node, "
            + "gateway and tool of the cluster)");
        System.out.println("Gateway HTTPS:       --tls-cert " + out.resolve("node.pem") + " --tls-key "
            + out.resolve("node-key.pem"));
        System.out.println("Clients trust:       " + out.resolve("ca.pem") + "   (curl --cacert, ./hearth --cacert or "
            + "HEARTH_CACERT)");
        System.out.println("Keep ca-key.pem, node-key.pem, the .p12 stores and cluster.secret private. For production, "
            + "use your own CA: see docs/decisions/0020-security.md.");
        return 0;
    }
}
