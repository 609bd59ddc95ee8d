package io.hookgate.delivery;

import io.hookgate.event.EventId;
import io.hookgate.event.EventKind;
import io.hookgate.store.ColumnStatement;
import io.hookgate.store.PlannedPerCall;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.hookgate.store.ColumnStatement.column;

@RegisterRowMapper(DeliveryDao.DeliveryMapper.class)
@RegisterRowMapper(DeliveryDao.AttemptMapper.class)
public interface DeliveryDao {

    /*
     * The delivery worker's statements are static methods on a Handle, not SqlObject methods: attaching this interface
     * warms every one of its methods each time, which cost the worker more than its SQL did (as for EventDao.insertAll).
     */

    /**
     * A pending delivery whose destination takes it now. A disabled destination's are paused (out of the due index) when
     * it is disabled; this leaves alone the few that were not: in flight then, or written by an ingest that read the
     * destination just before. Claimed and given back instead, they would be written again and again for as long as it
     * stays disabled. A deleted destination's are taken, to be cancelled.
     */
    String SENDABLE = "not exists (select 1 from destinations disabled where disabled.id = deliveries.destination_id "
        + "and not disabled.enabled and disabled.deleted_at is null)";

    /** With {@code paused}: pending while its destination is disabled (the few not marked so, in flight then, too). */
    String COLUMNS = "tenant_id, id, event_id, destination_id, webhook_id, status, attempts, next_attempt_at, lease_token, "
        + "last_status_code, last_error, replay_id, created_at, completed_at, "
        + "status = 'pending' and (paused or not " + SENDABLE + ") as paused";

    /**
     * Whether a delivery to {@code :destinationId} starts paused: its destination's row is read under a share lock, so an
     * enable or disable, which resumes or pauses the destination's deliveries in the transaction that changes the row,
     * waits for this statement's transaction, or this one for it: no delivery is left paused under an enabled destination.
     */
    String PAUSED_IF_DISABLED = "coalesce((select not enabled and deleted_at is null from destinations where id = :destinationId for share), false)";

    /**
     * Takes due deliveries under a lease: SKIP LOCKED lets any number of instances claim side by side without
     * taking the same row, and a claimed row's next_attempt_at moves to the lease's end, so if this instance dies
     * the delivery is due again then. Destinations at their in-flight limit here are left for later, and disabled ones
     * until they are enabled. {@code from} bounds the index scan from below (see {@link ClaimFloor}).
     */
    String CLAIM = """
        with due as (
            select tenant_id, id, next_attempt_at as due_at from deliveries
            where status = 'pending' and not paused and next_attempt_at >= :from and next_attempt_at <= :now
              and destination_id <> all(cast(:busy as bigint[])) and %s
            order by next_attempt_at
            limit :limit
            for update skip locked
        )
        update deliveries d set next_attempt_at = :leaseUntil, lease_token = :token, updated_at = :now
        from due, events e
        where d.tenant_id = due.tenant_id and d.id = due.id and e.tenant_id = d.tenant_id and e.id = d.event_id
        returning d.tenant_id, d.id, d.event_id, d.destination_id, d.webhook_id, d.attempts, e.kind, e.body, d.lease_token, due.due_at
        """.formatted(SENDABLE);

    static List<ClaimedDelivery> claim(Handle handle, Instant from, Instant now, Instant leaseUntil, UUID token, int limit,
                                       long[] busyDestinations) {
        return handle.createQuery(CLAIM).bind("from", from).bind("now", now).bind("leaseUntil", leaseUntil).bind("token", token).bind("limit", limit)
            .bind("busy", busyDestinations).map(new ClaimMapper()).list();
    }

    static Optional<Instant> nextDueAt(Handle handle) {
        return handle.createQuery("select min(next_attempt_at) from deliveries where status = 'pending' and not paused").mapTo(Instant.class)
            .findFirst(); // one row always; min() of no rows is null, which is empty
    }

    /** Gives a claimed delivery back without an attempt (circuit open, rate limit, shutdown). */
    static int release(Handle handle, ClaimedDelivery delivery, Instant at, Instant now) {
        return handle.createUpdate("update deliveries set next_attempt_at = :at, lease_token = null, updated_at = :now "
                + "where tenant_id = :tenantId and id = :id and lease_token = :token")
            .bind("tenantId", delivery.tenantId()).bind("id", delivery.id()).bind("token", delivery.leaseToken())
            .bind("at", at).bind("now", now).execute();
    }

    /**
     * Gives back a claimed delivery whose destination was disabled since the claim: paused with the rest of its backlog,
     * unless it was enabled again meanwhile (read as {@link #insertDelivery} does), when it is due now.
     */
    static int pauseClaimed(Handle handle, ClaimedDelivery delivery, Instant now) {
        return handle.createUpdate("update deliveries set paused = " + PAUSED_IF_DISABLED + ", next_attempt_at = :now, lease_token = null, "
                + "updated_at = :now where tenant_id = :tenantId and id = :id and lease_token = :token")
            .bind("tenantId", delivery.tenantId()).bind("id", delivery.id()).bind("token", delivery.leaseToken())
            .bind("destinationId", delivery.destinationId()).bind("now", now).execute();
    }

    /** Ends a claimed delivery whose destination is gone. */
    static int cancel(Handle handle, ClaimedDelivery delivery, Instant now) {
        return handle.createUpdate("update deliveries set status = 'cancelled', lease_token = null, last_error = 'destination deleted', "
                + "completed_at = :now, updated_at = :now where tenant_id = :tenantId and id = :id and lease_token = :token")
            .bind("tenantId", delivery.tenantId()).bind("id", delivery.id()).bind("token", delivery.leaseToken()).bind("now", now)
            .execute();
    }

    /** One finished attempt and what it makes of its delivery: written by {@link #record}. */
    record Recorded(TenantId tenantId, DeliveryId deliveryId, UUID token, Instant attemptedAt, int durationMs, Integer statusCode,
                    String excerpt, String errorKind, String attemptError, DeliveryStatus status, Instant nextAt, String error) {
    }

    /**
     * Writes a batch of outcomes in one statement, whatever its size: each attempt, then its delivery's new state if this
     * worker still holds the lease (another worker took over after the lease ended otherwise), then a dead letter for
     * each delivery that just died. Returns the ids of those dead letters' deliveries.
     */
    String RECORD = """
        with outcome as (
            select * from unnest(cast(? as bigint[]), cast(? as bigint[]), cast(? as uuid[]), cast(? as bigint[]), cast(? as integer[]),
                                 cast(? as integer[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]),
                                 cast(? as bigint[]), cast(? as text[]))
                as o (tenant_id, delivery_id, token, attempted_us, duration_ms, status_code, excerpt, error_kind, attempt_error, status,
                      next_us, error)
        ), attempts as (
            insert into delivery_attempts (tenant_id, delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error_kind, error)
            select tenant_id, delivery_id, timestamptz 'epoch' + attempted_us * interval '1 microsecond', duration_ms, status_code, excerpt,
                   error_kind, attempt_error
            from outcome
        ), finished as (
            update deliveries d set status = o.status, attempts = d.attempts + 1,
                   next_attempt_at = timestamptz 'epoch' + o.next_us * interval '1 microsecond', lease_token = null,
                   last_status_code = o.status_code, last_error = o.error, updated_at = ?,
                   completed_at = case when o.status = 'pending' then null else cast(? as timestamptz) end
            from outcome o
            where d.tenant_id = o.tenant_id and d.id = o.delivery_id and d.lease_token = o.token
            returning d.tenant_id, d.id, d.event_id, d.destination_id, d.attempts, d.last_status_code, d.last_error, d.status
        ), dead as (
            insert into dead_letters (tenant_id, delivery_id, event_id, destination_id, attempts, last_status_code, last_error, dead_at)
            select tenant_id, id, event_id, destination_id, attempts, last_status_code, last_error, ? from finished where status = 'dead'
            returning delivery_id
        )
        select delivery_id from dead
        """;

    static List<DeliveryId> record(Handle handle, List<Recorded> outcomes, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        List<Object> parameters = List.of(
            column("int8", outcomes, r -> r.tenantId().value(), Long[]::new),
            column("int8", outcomes, r -> r.deliveryId().value(), Long[]::new),
            column("uuid", outcomes, Recorded::token, UUID[]::new),
            column("int8", outcomes, r -> ColumnStatement.micros(r.attemptedAt()), Long[]::new),
            column("int4", outcomes, Recorded::durationMs, Integer[]::new),
            column("int4", outcomes, Recorded::statusCode, Integer[]::new),
            column("text", outcomes, Recorded::excerpt, String[]::new),
            column("text", outcomes, Recorded::errorKind, String[]::new),
            column("text", outcomes, Recorded::attemptError, String[]::new),
            column("text", outcomes, r -> r.status().wireName(), String[]::new),
            column("int8", outcomes, r -> ColumnStatement.micros(r.nextAt()), Long[]::new),
            column("text", outcomes, Recorded::error, String[]::new),
            at, at, at); // updated_at, completed_at, dead_at
        return ColumnStatement.query(handle, RECORD, parameters, rs -> new DeliveryId(rs.getLong(1)));
    }

    @SqlQuery("select " + COLUMNS + " from deliveries where id = :id")
    Optional<Delivery> find(@Bind("id") DeliveryId id);

    @SqlQuery("select " + COLUMNS + " from deliveries where tenant_id = :tenantId and event_id = :eventId order by id")
    List<Delivery> ofEvent(@Bind("tenantId") TenantId tenantId, @Bind("eventId") EventId eventId);

    @PlannedPerCall
    @SqlQuery("select " + COLUMNS + " from deliveries where destination_id = :destinationId "
        + "and (cast(:status as text) is null or status = :status) and (cast(:before as bigint) is null or id < :before) "
        + "order by id desc limit :limit")
    List<Delivery> ofDestination(@Bind("destinationId") DestinationId destinationId, @Bind("status") String status,
                                 @Bind("before") Long before, @Bind("limit") int limit);

    @SqlQuery("select id, delivery_id, attempted_at, duration_ms, status_code, response_excerpt, error_kind, error "
        + "from delivery_attempts where tenant_id = :tenantId and delivery_id = any(:ids) order by id")
    List<Attempt> attemptsOf(@Bind("tenantId") TenantId tenantId, @Bind("ids") long[] deliveryIds);

    /**
     * Per event, how many destinations its latest delivery to each is in each status. A dead delivery replayed since
     * counts as its replay does, so an event delivered in the end reads so.
     */
    @SqlQuery("select event_id, status, destination_deleted, count(*) as n from ("
        + "select distinct on (event_id, destination_id) event_id, status, status = 'dead' and exists (select 1 from destinations d "
        + "where d.id = deliveries.destination_id and d.deleted_at is not null) as destination_deleted "
        + "from deliveries "
        + "where tenant_id = any(:tenants) and event_id = any(:ids) order by event_id, destination_id, id desc) latest "
        + "group by 1, 2, 3 order by 1, 2, 3")
    @RegisterRowMapper(TallyMapper.class)
    List<DeliveryTally> tallies(@Bind("tenants") long[] tenants, @Bind("ids") long[] eventIds);

    /** Makes a waiting delivery due now; not one a worker holds (that would send it twice at once). */
    @SqlUpdate("update deliveries set next_attempt_at = :now, updated_at = :now where id = :id and status = 'pending' and lease_token is null")
    int dueNow(@Bind("id") DeliveryId id, @Bind("now") Instant now);

    /**
     * A new delivery of an event to a destination, with the webhook-id of its earlier ones (whatever rule made it), so
     * receivers can deduplicate; for a first delivery, the ingest's rule: the body's SHA-256 and the destination.
     * Paused if the destination is disabled.
     */
    @SqlQuery("insert into deliveries (tenant_id, event_id, destination_id, webhook_id, status, next_attempt_at, replay_id, created_at, updated_at, "
        + "paused) values (:tenantId, :eventId, :destinationId, coalesce("
        + "(select webhook_id from deliveries where tenant_id = :tenantId and event_id = :eventId and destination_id = :destinationId "
        + "order by id limit 1), "
        + "(select 'msg_' || encode(substring(body_sha256 from 1 for 12), 'hex') || '_' || :destinationId from events "
        + "where tenant_id = :tenantId and id = :eventId)), 'pending', :dueAt, :replayId, :now, :now, " + PAUSED_IF_DISABLED + ") "
        + "returning id")
    long insertDelivery(@Bind("tenantId") TenantId tenantId, @Bind("eventId") EventId eventId, @Bind("destinationId") DestinationId destinationId,
                        @Bind("replayId") Long replayId, @Bind("dueAt") Instant dueAt, @Bind("now") Instant now);

    /**
     * A redelivery of an event to a destination settles the event's dead letters there: they are marked replayed by
     * it, so that a later bulk replay does not send the event once more.
     */
    @SqlUpdate("update dead_letters set replayed_at = :now, replayed_by = :by, replay_delivery_id = :deliveryId "
        + "where tenant_id = :tenantId and event_id = :eventId and destination_id = :destinationId and replayed_at is null")
    int settleDeadLetters(@Bind("tenantId") TenantId tenantId, @Bind("eventId") EventId eventId,
                          @Bind("destinationId") DestinationId destinationId, @Bind("deliveryId") DeliveryId deliveryId,
                          @Bind("by") String by, @Bind("now") Instant now);

    final class TallyMapper implements RowMapper<DeliveryTally> {
        @Override
        public DeliveryTally map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new DeliveryTally(rs.getLong("event_id"), DeliveryStatus.fromWireName(rs.getString("status")), rs.getBoolean("destination_deleted"),
                rs.getLong("n"));
        }
    }

    final class ClaimMapper implements RowMapper<ClaimedDelivery> {
        @Override
        public ClaimedDelivery map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ClaimedDelivery(new DeliveryId(rs.getLong("id")), new TenantId(rs.getLong("tenant_id")), new EventId(rs.getLong("event_id")),
                new DestinationId(rs.getLong("destination_id")), rs.getString("webhook_id"), rs.getInt("attempts"),
                EventKind.fromWireName(rs.getString("kind")).orElse(EventKind.UNKNOWN), rs.getBytes("body"),
                rs.getObject("lease_token", UUID.class), rs.getTimestamp("due_at").toInstant());
        }
    }

    final class DeliveryMapper implements RowMapper<Delivery> {
        @Override
        public Delivery map(ResultSet rs, StatementContext ctx) throws SQLException {
            int code = rs.getInt("last_status_code");
            Integer lastStatus = rs.wasNull() ? null : code;
            long replay = rs.getLong("replay_id");
            Long replayId = rs.wasNull() ? null : replay;
            return new Delivery(new DeliveryId(rs.getLong("id")), new TenantId(rs.getLong("tenant_id")), new EventId(rs.getLong("event_id")),
                new DestinationId(rs.getLong("destination_id")), rs.getString("webhook_id"), DeliveryStatus.fromWireName(rs.getString("status")),
                rs.getInt("attempts"), instant(rs.getTimestamp("next_attempt_at")), rs.getObject("lease_token") != null,
                rs.getBoolean("paused"), lastStatus,
                rs.getString("last_error"), replayId, instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("completed_at")));
        }
    }

    final class AttemptMapper implements RowMapper<Attempt> {
        @Override
        public Attempt map(ResultSet rs, StatementContext ctx) throws SQLException {
            int code = rs.getInt("status_code");
            Integer status = rs.wasNull() ? null : code;
            return new Attempt(rs.getLong("id"), new DeliveryId(rs.getLong("delivery_id")), instant(rs.getTimestamp("attempted_at")),
                rs.getInt("duration_ms"), status, rs.getString("response_excerpt"), rs.getString("error_kind"), rs.getString("error"));
        }
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
