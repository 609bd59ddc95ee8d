package io.hookgate.store;

import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * A pooled connection that one thread keeps from one statement to the next, for a loop that writes all the time
 * (the event committers): no pool borrow, validation or Jdbi handle per statement, and statements go straight to
 * the driver rather than through the pool's reflective proxies. Not thread-safe.
 * <p>
 * After a failure the connection goes back to the pool, which validates it before lending it again. A connection
 * held across a database restart is found broken only by the next statement, so that one is tried once more on a
 * fresh connection; it is idempotent for its callers (the ingest statement keeps one copy of each body).
 */
public final class HeldConnection implements AutoCloseable {

    private final Jdbi jdbi;
    private Handle handle;
    private Connection raw;

    public HeldConnection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs {@code work} on the raw connection, in autocommit mode: each statement is its own transaction. */
    public <T> T run(Function<Connection, T> work) {
        for (boolean retried = false; ; retried = true) {
            boolean reused = raw != null;
            try {
                return work.apply(connection());
            } catch (RuntimeException e) {
                close();
                if (retried || !reused || !StoreFailures.isUnavailable(e)) {
                    throw e;
                }
            }
        }
    }

    private Connection connection() {
        if (raw == null) {
            handle = jdbi.open();
            try {
                raw = handle.getConnection().unwrap(Connection.class);
            } catch (SQLException e) {
                throw new ConnectionException(e);
            }
        }
        return raw;
    }

    /** Gives the connection back to the pool; the next {@link #run} takes another. */
    @Override
    public void close() {
        raw = null;
        if (handle != null) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                // a broken connection may fail to reset; the pool discards it on the next validation
            } finally {
                handle = null;
            }
        }
    }
}
