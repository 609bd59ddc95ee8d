package io.hookgate.retention;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

public interface RetentionDao {

    /** A tenant and its own retention, if it has one. */
    record TenantRetention(long tenantId, Integer retentionDays) {
    }

    @SqlQuery("select id as tenant_id, retention_days from tenants order by id")
    @RegisterConstructorMapper(TenantRetention.class)
    List<TenantRetention> tenants();

    /** What one batch deleted, and the last event it deleted: the next batch starts after it. */
    record Batch(int deleted, Instant lastReceivedAt, Long lastId) {
    }

    /**
     * Deletes one batch of a tenant's events older than {@code cutoff}, oldest first from just after the previous
     * batch's last event ({@code afterAt}, {@code afterId}), with their calls, deliveries, attempts and dead letters,
     * in one short statement. Kept: events with a delivery still pending, and events with a dead letter not yet
     * replayed that is younger than {@code deadLetterCutoff}; each batch starts after the last, so the kept ones are
     * stepped over once a pass, not once a batch. SKIP LOCKED: rows a running transaction touches are left for the
     * next pass, so purging never waits on (or blocks) ingest and delivery.
     */
    @SqlQuery("""
        with old as (
            select e.tenant_id, e.id, e.received_at from events e
            where e.tenant_id = :tenantId and e.received_at < :cutoff
              and e.received_at >= :afterAt and (e.received_at, e.id) > (:afterAt, :afterId)
              and not exists (select 1 from deliveries d where d.tenant_id = e.tenant_id and d.event_id = e.id and d.status = 'pending')
              and not exists (select 1 from dead_letters x where x.tenant_id = e.tenant_id and x.event_id = e.id
                              and x.replayed_at is null and x.dead_at >= :deadLetterCutoff)
            order by e.received_at, e.id
            limit :batch
            for update of e skip locked
        ), dead as (
            delete from dead_letters x using old where x.tenant_id = old.tenant_id and x.event_id = old.id
        ), attempts as (
            delete from delivery_attempts a using deliveries d, old
            where d.tenant_id = old.tenant_id and d.event_id = old.id and a.tenant_id = d.tenant_id and a.delivery_id = d.id
        ), gone as (
            delete from deliveries d using old where d.tenant_id = old.tenant_id and d.event_id = old.id
        ), calls as (
            delete from event_calls c using old where c.tenant_id = old.tenant_id and c.event_id = old.id
        ), purged as (
            delete from events e using old where e.tenant_id = old.tenant_id and e.id = old.id returning e.received_at, e.id
        )
        select count(*) as deleted, max(received_at) as last_received_at,
               (array_agg(id order by received_at desc, id desc))[1] as last_id
        from purged
        """)
    @RegisterConstructorMapper(Batch.class)
    Batch purgeEvents(@Bind("tenantId") long tenantId, @Bind("cutoff") Instant cutoff, @Bind("deadLetterCutoff") Instant deadLetterCutoff,
                      @Bind("afterAt") Instant afterAt, @Bind("afterId") long afterId, @Bind("batch") int batch);

    @SqlUpdate("delete from web_sessions where expires_at < :now")
    int purgeSessions(@Bind("now") Instant now);

    /** Page flashes nobody came back for (a redirect never followed). */
    @SqlUpdate("delete from web_flashes where expires_at <= :now")
    int purgeFlashes(@Bind("now") Instant now);

    @SqlUpdate("insert into retention_passes (started_at, tenants_total) values (:startedAt, :tenants)")
    @GetGeneratedKeys("id")
    long startPass(@Bind("startedAt") Instant startedAt, @Bind("tenants") int tenants);

    @SqlUpdate("update retention_passes set tenants_done = :tenantsDone, events_deleted = :deleted, progress_at = :at where id = :id")
    void passProgress(@Bind("id") long id, @Bind("tenantsDone") int tenantsDone, @Bind("deleted") long deleted, @Bind("at") Instant at);

    @SqlUpdate("update retention_passes set finished_at = :finishedAt, error = :error where id = :id")
    void finishPass(@Bind("id") long id, @Bind("finishedAt") Instant finishedAt, @Bind("error") String error);

    @SqlQuery("select * from retention_passes order by id desc limit :limit")
    @RegisterConstructorMapper(RetentionPass.class)
    List<RetentionPass> recentPasses(@Bind("limit") int limit);

    @SqlUpdate("delete from retention_passes where started_at < :before")
    int prunePasses(@Bind("before") Instant before);
}
