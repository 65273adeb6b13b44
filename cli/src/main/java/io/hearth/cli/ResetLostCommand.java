package io.hearth.cli;

import io.hearth.node.HearthNode;
import io.hearth.node.LostPartitions;
import io.hearth.node.NodeSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth reset-lost}: lets a cluster serve partitions again whose nodes were lost and have come back. */
@Command(name = "reset-lost", description = "After nodes that were lost together have come back with their data: "
    + "let the cluster serve again the partitions it refused while every copy was gone. Do not run it while those "
    + "nodes are missing: their partitions would become empty.")
final class ResetLostCommand implements Callable<Integer> {
    @Option(names = "--peers", split = ",", required = true, paramLabel = "HOST:PORT[..PORT]",
        description = "Discovery addresses of the cluster's server nodes.")
    List<String> peers;

    @Option(names = "--dry-run", description = "Only list the caches with lost partitions.")
    boolean dryRun;

    @Override
    public Integer call() {
        NodeSettings s = new NodeSettings(null, null, null, 0, 0, 0, peers, true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
        try (HearthNode client = new HearthNode(s).start()) {
            Map<String, Integer> lost = dryRun ? LostPartitions.find(client.ignite()) : LostPartitions.reset(client.ignite());
            if (lost.isEmpty()) {
                System.out.println("No lost partitions.");
            } else {
                lost.forEach((cache, n) -> System.out.println((dryRun ? "lost: " : "reset: ") + cache + " (" + n
                    + " partition" + (n == 1 ? "" : "s") + ")"));
            }
        }
        return 0;
    }
}
