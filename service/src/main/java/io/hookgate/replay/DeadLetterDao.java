package io.hookgate.replay;

import io.hookgate.delivery.DeliveryId;
import io.hookgate.delivery.DestinationId;
import io.hookgate.event.EventId;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@RegisterRowMapper(DeadLetterDao.DeadLetterMapper.class)
public interface DeadLetterDao extends SqlObject {

    /** The dead letter's destination was deleted (destinations are only ever marked so): nowhere left to send it. */
    String DESTINATION_DELETED =
        "exists (select 1 from destinations d where d.id = dead_letters.destination_id and d.deleted_at is not null)";

    /** With its event's TaskID, which support knows the call by (null once a replayed letter's event is purged). */
    String COLUMNS = "id, tenant_id, delivery_id, event_id, destination_id, attempts, last_status_code, last_error, dead_at, "
        + "replayed_at, replayed_by, replay_delivery_id, "
        + "(select e.task_id from events e where e.tenant_id = dead_letters.tenant_id and e.id = dead_letters.event_id) as task_id, "
        + DESTINATION_DELETED + " as destination_deleted";

    /**
     * Waiting to be replayed: not replayed yet, and its destination not deleted (a deleted one's have nowhere to go: a
     * replay would be cancelled at once). Lists, counts, replays and health all wait on the same dead letters.
     */
    String WAITING = "replayed_at is null and not " + DESTINATION_DELETED;

    @SqlQuery("select " + COLUMNS + " from dead_letters where id = :id")
    Optional<DeadLetter> find(@Bind("id") long id);

    @SqlQuery("select " + COLUMNS + " from dead_letters where tenant_id = :tenantId and event_id = :eventId order by id")
    List<DeadLetter> ofEvent(@Bind("tenantId") TenantId tenantId, @Bind("eventId") EventId eventId);

    /** Newest first; {@code waitingOnly} leaves out those already replayed. */
    default List<DeadLetter> search(DeadLetterFilter filter, boolean waitingOnly, Optional<Long> before, int limit) {
        Map<String, Object> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from dead_letters where true");
        where(sql, binds, filter, waitingOnly);
        before.ifPresent(b -> {
            sql.append(" and id < :before");
            binds.put("before", b);
        });
        sql.append(" order by id desc limit :limit");
        binds.put("limit", limit);
        Query query = getHandle().createQuery(sql.toString());
        binds.forEach(query::bind);
        return query.map(new DeadLetterMapper()).list();
    }

    /** How many waiting dead letters match that can be replayed (their destination still exists), and the newest one's id. */
    default long[] countWaiting(DeadLetterFilter filter) {
        Map<String, Object> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("select count(*), coalesce(max(id), 0) from dead_letters where true");
        where(sql, binds, filter, true);
        Query query = getHandle().createQuery(sql.toString());
        binds.forEach(query::bind);
        return query.map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
    }

    /** The next waiting dead letters of a replay, oldest first, none newer than {@code upToId}. */
    default List<DeadLetter> nextWaiting(DeadLetterFilter filter, long upToId, int limit) {
        Map<String, Object> binds = new LinkedHashMap<>();
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from dead_letters where id <= :upTo");
        binds.put("upTo", upToId);
        where(sql, binds, filter, true);
        sql.append(" order by id limit :limit for update skip locked");
        binds.put("limit", limit);
        Query query = getHandle().createQuery(sql.toString());
        binds.forEach(query::bind);
        return query.map(new DeadLetterMapper()).list();
    }

    @SqlUpdate("update dead_letters set replayed_at = :now, replayed_by = :by, replay_delivery_id = :deliveryId "
        + "where id = :id and replayed_at is null")
    int markReplayed(@Bind("id") long id, @Bind("deliveryId") DeliveryId deliveryId, @Bind("by") String by, @Bind("now") Instant now);

    private static void where(StringBuilder sql, Map<String, Object> binds, DeadLetterFilter filter, boolean waitingOnly) {
        if (waitingOnly) {
            sql.append(" and ").append(WAITING);
        }
        filter.tenantId().ifPresent(t -> {
            sql.append(" and tenant_id = :tenantId");
            binds.put("tenantId", t.value());
        });
        filter.destinationId().ifPresent(d -> {
            sql.append(" and destination_id = :destinationId");
            binds.put("destinationId", d.value());
        });
        filter.from().ifPresent(f -> {
            sql.append(" and dead_at >= :from");
            binds.put("from", f);
        });
        filter.to().ifPresent(t -> {
            sql.append(" and dead_at < :to");
            binds.put("to", t);
        });
        filter.taskId().ifPresent(task -> {
            // through the events' TaskID index: a task's events, then their dead letters
            sql.append(" and event_id in (select e.id from events e where e.task_id = :taskId)");
            binds.put("taskId", task);
        });
        filter.lastStatus().ifPresent(status -> {
            if (Character.isDigit(status.charAt(0))) {
                sql.append(" and last_status_code = :lastStatusCode");
                binds.put("lastStatusCode", Integer.parseInt(status));
            } else {
                sql.append(" and last_status_code is null and last_error like :lastErrorKind");
                binds.put("lastErrorKind", status + "%");
            }
        });
    }

    final class DeadLetterMapper implements RowMapper<DeadLetter> {
        @Override
        public DeadLetter map(ResultSet rs, StatementContext ctx) throws SQLException {
            int code = rs.getInt("last_status_code");
            Integer status = rs.wasNull() ? null : code;
            long replayDelivery = rs.getLong("replay_delivery_id");
            DeliveryId replayDeliveryId = rs.wasNull() ? null : new DeliveryId(replayDelivery);
            return new DeadLetter(rs.getLong("id"), new TenantId(rs.getLong("tenant_id")), new DeliveryId(rs.getLong("delivery_id")),
                new EventId(rs.getLong("event_id")), new DestinationId(rs.getLong("destination_id")), rs.getInt("attempts"), status,
                rs.getString("last_error"), instant(rs.getTimestamp("dead_at")), instant(rs.getTimestamp("replayed_at")),
                rs.getString("replayed_by"), replayDeliveryId, rs.getString("task_id"), rs.getBoolean("destination_deleted"));
        }

        private static Instant instant(Timestamp ts) {
            return ts == null ? null : ts.toInstant();
        }
    }
}
