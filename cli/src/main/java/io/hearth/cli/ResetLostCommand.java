package io.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.node.HearthNode;
import io.hearth.node.LostPartitions;
import io.hearth.node.NodeSettings;
import io.hearth.security.audit.AuditEntry;
import io.hearth.security.audit.GridAuditTrail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth reset-lost}: lets a cluster serve partitions again whose nodes were lost and have come back. Through a
 * gateway ({@code POST /v1/cluster/reset-lost}, an admin key: the gateway audits it), or with {@code --peers} by
 * joining the grid itself as a thick client (with the cluster's certificate, when it has TLS), audited as the local
 * user.
 */
@Command(name = "reset-lost", description = "After nodes that were lost together have come back with their data: "
    + "let the cluster serve again the partitions it refused while every copy was gone. Do not run it while those "
    + "nodes are missing: their partitions would become empty.")
final class ResetLostCommand implements Callable<Integer> {
    @Option(names = "--peers", split = ",", paramLabel = "HOST:PORT[..PORT]",
        description = "Join the cluster at these discovery addresses instead of asking a gateway (--url, an admin key).")
    List<String> peers;

    @Option(names = "--dry-run", description = "Only list the caches with lost partitions.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    @picocli.CommandLine.Mixin
    ClusterSecretOptions secret = new ClusterSecretOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, Integer> lost;
        if (peers == null || peers.isEmpty()) {
            try {
                JsonNode r = client.client().send("POST", "/v1/cluster/reset-lost" + (dryRun ? "?dry_run=true" : ""), null,
                    null);
                lost = new LinkedHashMap<>();
                JsonNode caches = r.path(dryRun ? "lost" : "reset");
                caches.fieldNames().forEachRemaining(c -> lost.put(c, caches.get(c).asInt()));
            } catch (GatewayClient.CallFailed e) {
                System.err.println("hearth reset-lost: " + e.detail());
                return 1;
            }
        } else {
            NodeSettings s = new NodeSettings(null, null, null, 0, 0, 0, peers, true, 0, 0,
                NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS, secret.read(false));
            try (HearthNode member = new HearthNode(s).start()) {
                lost = dryRun ? LostPartitions.find(member.ignite()) : LostPartitions.reset(member.ignite());
                if (!dryRun) {
                    new GridAuditTrail(member.ignite()).append(new AuditEntry(System.currentTimeMillis(), "cli:"
                        + System.getProperty("user.name"), "partitions.reset_lost", "CLI", "reset-lost --peers",
                        localHost(), member.ignite().name(), 200, lost.toString()));
                }
            }
        }
        if (lost.isEmpty()) {
            System.out.println("No lost partitions.");
        } else {
            lost.forEach((cache, n) -> System.out.println((dryRun ? "lost: " : "reset: ") + cache + " (" + n
                + " partition" + (n == 1 ? "" : "s") + ")"));
        }
        return 0;
    }

    private static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
