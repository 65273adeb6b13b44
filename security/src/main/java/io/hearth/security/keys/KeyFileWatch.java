package io.hearth.security.keys;

import io.hearth.catalog.HearthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of a key file, read again when its content changes: adding, removing or changing a key takes effect
 * within a second, without a restart. A change that breaks the file is refused whole and logged with every
 * problem; the keys read before stay in force, so a typo never locks everyone out (nor lets anyone in).
 */
public final class KeyFileWatch implements ApiKeys, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFileWatch.class);

    private final Path file;
    private volatile KeyRing ring;
    private byte[] contentHash;
    private ScheduledExecutorService poller;

    /** Reads the file now: a process does not start with a broken key file. */
    public KeyFileWatch(Path file) {
        this.file = file;
        byte[] bytes = read();
        this.ring = KeyFile.parse(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        this.contentHash = hash(bytes);
    }

    /** Checks the file every {@code periodMillis} from now on, on a daemon thread. */
    public KeyFileWatch start(long periodMillis) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-key-file");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(() -> {
            try {
                reloadIfChanged();
            } catch (RuntimeException e) { // an escaping exception would end the schedule for good
                LOG.warn("Checking the key file {} failed; checking again shortly: {}", file, e.toString());
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** What one check found. */
    public enum Reload { UNCHANGED, RELOADED, REFUSED }

    /** Reads the file again if its content changed; a broken one is refused and the keys in force kept. */
    public synchronized Reload reloadIfChanged() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            LOG.warn("Cannot read the key file {} ({}); the {} key(s) read before stay in force", file, e.toString(),
                ring.size());
            return Reload.REFUSED;
        }
        byte[] h = hash(bytes);
        if (MessageDigest.isEqual(h, contentHash)) {
            return Reload.UNCHANGED;
        }
        contentHash = h;
        try {
            KeyRing next = KeyFile.parse(file.toString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            ring = next;
            LOG.info("Key file {} changed: {} key(s) in force now", file, next.size());
            return Reload.RELOADED;
        } catch (HearthException e) {
            LOG.error("Key file {} changed but is refused; the {} key(s) read before stay in force: {}", file, ring.size(),
                e.getMessage());
            return Reload.REFUSED;
        }
    }

    @Override
    public Optional<ApiKey> find(String secret) {
        return ring.find(secret);
    }

    /** The keys in force. */
    public KeyRing keys() {
        return ring;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HearthException(io.hearth.catalog.ErrorCode.CONFIGURATION, "auth-file", "file.read",
                "cannot read the key file " + file + ": " + e.getMessage());
        }
    }

    private static byte[] hash(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
