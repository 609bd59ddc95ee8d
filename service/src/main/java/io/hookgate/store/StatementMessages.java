package io.hookgate.store;

import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * A failed statement's message names the statement, never its arguments: they hold callback tokens, KEY material
 * and passwords' hashes, and the message ends up in logs (Jdbi's default prints every bound value).
 */
public final class StatementMessages {

    private static final int MAX_SQL_CHARS = 200;

    private StatementMessages() {
    }

    public static void withoutArguments(StatementExceptions config) {
        config.setMessageRendering(StatementMessages::render);
    }

    static String render(StatementException e) {
        StatementContext context = e.getStatementContext();
        String sql = context == null ? null : context.getRenderedSql();
        if (sql == null) {
            return e.getShortMessage();
        }
        return e.getShortMessage() + " [statement: \"" + abridged(sql, MAX_SQL_CHARS) + "\"]";
    }

    /** {@code sql} on one line, its first {@code maxChars} characters and "…" if it is longer: for log lines. */
    static String abridged(String sql, int maxChars) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() > maxChars ? oneLine.substring(0, maxChars) + "…" : oneLine;
    }
}
