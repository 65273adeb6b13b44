package io.hearth.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Hearth node per data directory: an OS file lock on {@code DIR/hearth.lock}, which holds the pid of its
 * owner. Taken before Ignite starts, so a second {@code hearth up} on the same directory is told at once, in one
 * line, which process has it, instead of Ignite's own lock failing ten seconds later in a page of stack traces.
 * The OS drops the lock when the process dies, even by {@code kill -9}.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "hearth.lock";

    /** The directory is in use by another process. */
    static final class InUse extends IllegalStateException {
        InUse(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this very process (another node of it)
            }
            if (l == null) {
                String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                throw new InUse("data directory " + dir.toAbsolutePath() + " is in use by another Hearth"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; stop it, or give this one its own --data-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new DataDirLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the first failure is the one to report
                }
            }
            throw new UncheckedIOException("cannot lock data directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is stopping the node; the OS releases the lock with the file
        }
    }
}
