package io.hookgate.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Hookgate at a time on an embedded data dir. Without it a second start would take the first one's PostgreSQL
 * for a server left by a crash and stop it under a running gateway. The OS drops the lock when the process dies,
 * however it dies, so a SIGKILL never leaves the data dir locked.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = "hookgate.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails with the holder's pid; never waits. */
    static DataDirLock acquire(Path hookgateDataDir) throws IOException {
        Files.createDirectories(hookgateDataDir);
        Path file = hookgateDataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
            channel.close();
            throw new DataDirInUseException("The data dir " + hookgateDataDir + " is in use by a running Hookgate"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + ": stop it first, or give this one its own HOOKGATE_DATA_DIR or a DATABASE_URL");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
