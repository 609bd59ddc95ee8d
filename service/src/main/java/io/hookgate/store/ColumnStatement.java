package io.hookgate.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A statement whose parameters are whole columns, each bound as one array that the SQL unnests: a batch of any size
 * is one statement and one round trip. Plain JDBC on the handle's connection, so hot paths do not attach a SqlObject.
 */
public final class ColumnStatement {

    private ColumnStatement() {
    }

    /** One array parameter: its PostgreSQL element type and its values, one per row. */
    public record Column(String type, Object[] values) {
    }

    /** A column made of one value per row. */
    public static <R, V> Column column(String type, List<R> rows, Function<R, V> value, IntFunction<V[]> array) {
        return new Column(type, rows.stream().map(value).toArray(array));
    }

    /** Reads one result row. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} with {@code parameters} in order: a {@link Column} is bound as an array, anything else as is. */
    public static <T> List<T> query(Handle handle, String sql, List<?> parameters, Row<T> row) {
        return query(handle.getConnection(), sql, parameters, row);
    }

    /** As {@link #query(Handle, String, List, Row)}, on a connection of the caller's. */
    public static <T> List<T> query(Connection connection, String sql, List<?> parameters, Row<T> row) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int p = 0; p < parameters.size(); p++) {
                if (parameters.get(p) instanceof Column column) {
                    statement.setArray(p + 1, connection.createArrayOf(column.type(), column.values()));
                } else {
                    statement.setObject(p + 1, parameters.get(p));
                }
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** An instant as microseconds since the epoch, PostgreSQL's own precision: {@code timestamptz 'epoch' + n * interval '1 microsecond'}. */
    public static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }
}
