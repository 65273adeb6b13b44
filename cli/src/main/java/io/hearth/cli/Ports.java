package io.hearth.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finding free loopback ports for an embedded node, so two embedded runs never join each other. */
final class Ports {
    private Ports() {
    }

    public static int firstFree(int from, int count) {
        for (int p = from; p < from + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port in " + from + ".." + (from + count - 1));
    }
}
