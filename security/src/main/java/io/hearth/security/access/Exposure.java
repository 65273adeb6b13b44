package io.hearth.security.access;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Redis's protected mode for the gateway: without API keys it serves loopback only; asked to listen on another
 * address without keys it refuses to start, saying how to configure keys, unless told {@code --insecure}.
 */
public final class Exposure {
    private Exposure() {
    }

    /** Whether {@code host} is a loopback address (a name is resolved; an unknown name is not loopback). */
    public static boolean loopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Refuses a gateway that would listen beyond loopback without keys, unless {@code insecure}. */
    public static void checkGateway(String host, boolean keys, boolean insecure) {
        if (!keys && !insecure && !loopback(host)) {
            throw new HearthException(ErrorCode.CONFIGURATION, "host", "exposure.unauthenticated", "refusing to listen on "
                + host + " without API keys: anyone who reaches it could replace the definitions, reset breakers and "
                + "read every feature. Give --auth-file FILE (./hearth keys new --id NAME --role admin prints a secret "
                + "and the line for the file), or --insecure to serve without keys on a network you trust");
        }
    }
}
