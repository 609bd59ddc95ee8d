package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;
import io.hookgate.store.PlannedPerCall;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@RegisterRowMapper(ReplayDao.ReplayMapper.class)
public interface ReplayDao {

    /** A replay with its deliveries counted by status, in one pass over them (a bulk replay has tens of thousands). */
    String SELECT = "select r.*, counted.delivered, counted.failed, counted.cancelled, counted.pending from replays r cross join lateral ("
        + "select count(*) filter (where d.status = 'succeeded') as delivered, count(*) filter (where d.status = 'dead') as failed, "
        + "count(*) filter (where d.status = 'cancelled') as cancelled, count(*) filter (where d.status = 'pending') as pending "
        + "from deliveries d where d.replay_id = r.id) counted";

    @SqlUpdate("insert into replays (requested_by, tenant_id, destination_id, from_time, to_time, last_status, task_id, up_to_id, matched, "
        + "state, created_at, updated_at) values (:by, :tenantId, :destinationId, :from, :to, :lastStatus, :taskId, :upTo, :matched, 'queued', :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("by") String requestedBy, @Bind("tenantId") TenantId tenantId, @Bind("destinationId") DestinationId destinationId,
                @Bind("from") Instant from, @Bind("to") Instant to, @Bind("lastStatus") String lastStatus, @Bind("taskId") String taskId,
                @Bind("upTo") long upToId, @Bind("matched") int matched, @Bind("now") Instant now);

    /**
     * An event {@code e} that the destination {@code d} takes as its kinds and filter are now (as the ingest's outbox,
     * EventDao, picks a new event's destinations) and never got a delivery of.
     */
    String MISSED = "(cardinality(d.kinds) = 0 or e.kind = any(d.kinds)) "
        + "and (d.filter_path is null or hookgate_filter_matches(e.body, d.filter_path)) "
        + "and not exists (select 1 from deliveries x where x.tenant_id = e.tenant_id and x.event_id = e.id and x.destination_id = d.id)";

    /** Reads every event received in [from, to): about 3 µs each, or 18 with a filter (PostgreSQL 15, 500,000 events). */
    @SqlQuery("select count(*) from events e join destinations d on d.id = :destinationId "
        + "where e.tenant_id = d.tenant_id and e.received_at >= :from and e.received_at < :to and " + MISSED)
    int countMissed(@Bind("destinationId") DestinationId destination, @Bind("from") Instant from, @Bind("to") Instant to);

    /**
     * The next {@code limit} events received in [from, to) after the cursor, in the order received, each said missed or
     * not. A window of events rather than the next missed ones: those would be found by reading, each time, every event
     * left in the range (a second per batch for 500,000 events).
     */
    @SqlQuery("select e.id, e.received_at, " + MISSED + " as missed from (select tenant_id, id, received_at, kind, body from events "
        + "where tenant_id = :tenantId and received_at >= :from and received_at < :to "
        // the first condition bounds the index scan, the second steps past the events of that instant already examined
        + "and received_at >= coalesce(cast(:afterAt as timestamptz), '-infinity') "
        + "and (received_at, id) > (coalesce(cast(:afterAt as timestamptz), '-infinity'), cast(:afterId as bigint)) "
        + "order by received_at, id limit :limit) e join destinations d on d.id = :destinationId order by e.received_at, e.id")
    @RegisterRowMapper(ExaminedMapper.class)
    List<ExaminedEvent> nextExamined(@Bind("tenantId") TenantId tenant, @Bind("destinationId") DestinationId destination,
                                     @Bind("from") Instant from, @Bind("to") Instant to, @Bind("afterAt") Instant afterAt,
                                     @Bind("afterId") long afterId, @Bind("limit") int limit);

    @SqlUpdate("insert into replays (source, requested_by, tenant_id, destination_id, from_time, to_time, up_to_id, matched, state, "
        + "created_at, updated_at) values ('missing', :by, :tenantId, :destinationId, :from, :to, 0, :matched, 'queued', :now, :now)")
    @GetGeneratedKeys("id")
    long insertMissing(@Bind("by") String requestedBy, @Bind("tenantId") TenantId tenantId, @Bind("destinationId") DestinationId destinationId,
                       @Bind("from") Instant from, @Bind("to") Instant to, @Bind("matched") int matched, @Bind("now") Instant now);

    @SqlQuery("select deleted_at is not null from destinations where id = :id")
    boolean destinationDeleted(@Bind("id") DestinationId id);

    @SqlQuery("select id from destinations where id = :id for no key update")
    Optional<Long> lockDestination(@Bind("id") DestinationId id);

    /** Serializes the start of bulk replays of dead letters, so that a request sent twice finds the first one's replay. */
    @SqlQuery("select 1 from (select pg_advisory_xact_lock(7346512002)) as locked")
    int lockBulkStarts();

    /**
     * A replay of dead letters with this very filter that has not yet queued all it matched: a request sent twice (a
     * double click, a script's retry) is that replay, not a second one counting the same dead letters.
     */
    @SqlQuery("select id from replays where source = 'dead_letters' and state in ('queued', 'running') "
        + "and tenant_id is not distinct from cast(:tenantId as bigint) and destination_id is not distinct from cast(:destinationId as bigint) "
        + "and from_time is not distinct from cast(:from as timestamptz) and to_time is not distinct from cast(:to as timestamptz) "
        + "and last_status is not distinct from cast(:lastStatus as text) and task_id is not distinct from cast(:taskId as text) "
        + "order by id limit 1")
    Optional<Long> queueingWithFilter(@Bind("tenantId") Long tenantId, @Bind("destinationId") Long destinationId, @Bind("from") Instant from,
                                      @Bind("to") Instant to, @Bind("lastStatus") String lastStatus, @Bind("taskId") String taskId);

    /** An unfinished replay of missed events to the destination, if one runs: two at once would each send the same events. */
    @SqlQuery("select id from replays where source = 'missing' and destination_id = :destinationId "
        + "and state in ('queued', 'running', 'delivering') limit 1")
    Optional<Long> unfinishedMissing(@Bind("destinationId") DestinationId destinationId);

    /**
     * The last event the replay went past (its time null before the first batch), locked for the rest of the transaction:
     * each instance's runner advances every replay, and two taking the same batch would each send it.
     */
    @SqlQuery("select after_received_at, coalesce(after_event_id, 0) as after_event_id from replays where id = :id for update")
    @RegisterRowMapper(CursorMapper.class)
    Cursor lockCursor(@Bind("id") long id);

    @SqlUpdate("update replays set after_received_at = :afterAt, after_event_id = :afterId where id = :id")
    void movePast(@Bind("id") long id, @Bind("afterAt") Instant afterAt, @Bind("afterId") long afterId);

    @SqlQuery("select tenant_id from destinations where id = :id")
    Optional<Long> tenantOfDestination(@Bind("id") DestinationId id);

    @SqlQuery(SELECT + " where r.id = :id")
    Optional<ReplayRow> find(@Bind("id") long id);

    /** Newest first; of one tenant when {@code tenantId} is given (a replay across tenants has none). */
    @PlannedPerCall
    @SqlQuery(SELECT + " where (cast(:tenantId as bigint) is null or r.tenant_id = :tenantId)"
        + " and (cast(:before as bigint) is null or r.id < :before) order by r.id desc limit :limit")
    List<ReplayRow> newestFirst(@Bind("tenantId") Long tenantId, @Bind("before") Long before, @Bind("limit") int limit);

    @SqlQuery(SELECT + " where r.state in ('queued', 'running', 'delivering') order by r.id")
    List<ReplayRow> unfinished();

    @SqlQuery("select d.destination_id, dest.name, dest.enabled, count(*) as deliveries, min(d.next_attempt_at) as next_attempt_at "
        + "from deliveries d join destinations dest on dest.tenant_id = d.tenant_id and dest.id = d.destination_id "
        + "where d.replay_id = :id and d.status = 'pending' group by d.destination_id, dest.name, dest.enabled order by d.destination_id")
    @RegisterRowMapper(PendingMapper.class)
    List<PendingRow> pending(@Bind("id") long id);

    @SqlUpdate("update replays set queued = queued + :n, state = 'running', updated_at = :now where id = :id")
    void addQueued(@Bind("id") long id, @Bind("n") int n, @Bind("now") Instant now);

    @SqlUpdate("update replays set state = :state, error = :error, updated_at = :now where id = :id")
    void setState(@Bind("id") long id, @Bind("state") String state, @Bind("error") String error, @Bind("now") Instant now);

    /** A replay row with its delivery counts. */
    record ReplayRow(Replay replay, long upToId, int pending) {
    }

    /** Where a replay of missed events goes on from: after the event {@code afterId} received at {@code afterAt}. */
    record Cursor(Instant afterAt, long afterId) {
    }

    final class CursorMapper implements RowMapper<Cursor> {
        @Override
        public Cursor map(ResultSet rs, StatementContext ctx) throws SQLException {
            var at = rs.getTimestamp("after_received_at");
            return new Cursor(at == null ? null : at.toInstant(), rs.getLong("after_event_id"));
        }
    }

    /** An event a replay of missed events went past, by the keys it orders events by; {@code missed}: it sends it. */
    record ExaminedEvent(long id, Instant receivedAt, boolean missed) {
    }

    final class ExaminedMapper implements RowMapper<ExaminedEvent> {
        @Override
        public ExaminedEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ExaminedEvent(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(), rs.getBoolean("missed"));
        }
    }

    /** A replay's pending deliveries at one destination, as stored. */
    record PendingRow(DestinationId destinationId, String destinationName, boolean enabled, int deliveries, Instant nextAttemptAt) {
    }

    final class PendingMapper implements RowMapper<PendingRow> {
        @Override
        public PendingRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new PendingRow(new DestinationId(rs.getLong("destination_id")), rs.getString("name"), rs.getBoolean("enabled"),
                rs.getInt("deliveries"), rs.getTimestamp("next_attempt_at").toInstant());
        }
    }

    final class ReplayMapper implements RowMapper<ReplayRow> {
        @Override
        public ReplayRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            long tenant = rs.getLong("tenant_id");
            Optional<TenantId> tenantId = rs.wasNull() ? Optional.empty() : Optional.of(new TenantId(tenant));
            long destination = rs.getLong("destination_id");
            Optional<DestinationId> destinationId = rs.wasNull() ? Optional.empty() : Optional.of(new DestinationId(destination));
            var from = rs.getTimestamp("from_time");
            var to = rs.getTimestamp("to_time");
            DeadLetterFilter filter = new DeadLetterFilter(tenantId, destinationId, Optional.ofNullable(from).map(t -> t.toInstant()),
                Optional.ofNullable(to).map(t -> t.toInstant()), Optional.ofNullable(rs.getString("last_status")),
                Optional.ofNullable(rs.getString("task_id")));
            Replay replay = new Replay(rs.getLong("id"), Replay.Source.fromWireName(rs.getString("source")), rs.getString("requested_by"),
                filter, rs.getInt("matched"), rs.getInt("queued"), rs.getInt("delivered"), rs.getInt("failed"), rs.getInt("cancelled"),
                rs.getString("state"), rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
            return new ReplayRow(replay, rs.getLong("up_to_id"), rs.getInt("pending"));
        }
    }
}
