package io.hookgate.store;

import org.jdbi.v3.core.ConnectionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells "the database is unreachable" apart from other failures, so callers can answer 503, and text PostgreSQL
 * cannot store (a NUL character) apart from bugs, so callers can answer 400.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
                || t instanceof StoreUnavailableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception; 57P: operator intervention (shutdown); 53: insufficient resources
                if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** PostgreSQL text holds no NUL character: 22021 (character not in repertoire) or 22P05 (untranslatable character). */
    public static boolean isUnstorableText(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
