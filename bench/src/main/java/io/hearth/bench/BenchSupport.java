package io.hearth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Plumbing the benchmarks share, copied from the tests' helpers because test classes are not on the bench's class
 * path: free node ports (as {@code io.hearth.node.TestNodes} picks them) and deleting a run's temporary directory;
 * and forcing a checkpoint.
 */
public final class BenchSupport {
    private BenchSupport() {
    }

    /**
     * Forces a checkpoint on this member and returns once it has finished (Ignite's internal API: no public call
     * does it): the pages written so far are in the partition files and none is left for the checkpointer to write
     * during a measurement.
     */
    public static void checkpoint(org.apache.ignite.Ignite ignite, String reason) {
        try {
            ((org.apache.ignite.internal.processors.cache.persistence.GridCacheDatabaseSharedManager)
                ((org.apache.ignite.internal.IgniteEx) ignite).context().cache().context().database())
                .waitForCheckpoint(reason);
        } catch (org.apache.ignite.IgniteCheckedException e) {
            throw new IllegalStateException("checkpoint '" + reason + "' failed", e);
        }
    }

    /** A free base port with the two above it free too (as io.hearth.node.TestNodes picks them): loopback only. */
    public static int freePortBase() {
        SplittableRandom rnd = new SplittableRandom();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + rnd.nextInt(30_000);
            if (free(base) && free(base + 1) && free(base + 2)) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
