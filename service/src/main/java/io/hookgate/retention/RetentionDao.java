package io.hookgate.retention;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;

public interface RetentionDao {

    /** A tenant and its own retention, if it has one. */
    record TenantRetention(long tenantId, Integer retentionDays) {
    }

    @SqlQuery("select id as tenant_id, retention_days from tenants order by id")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(TenantRetention.class)
    List<TenantRetention> tenants();

    /**
     * Deletes one batch of a tenant's events older than {@code cutoff}, with their calls, deliveries, attempts and
     * dead letters, in one short statement. Kept: events with a delivery still pending, and events with a dead
     * letter not yet replayed that is younger than {@code deadLetterCutoff}. SKIP LOCKED: rows a running
     * transaction touches are left for the next run, so purging never waits on (or blocks) ingest and delivery.
     */
    @SqlUpdate("""
        with old as (
            select e.tenant_id, e.id from events e
            where e.tenant_id = :tenantId and e.received_at < :cutoff
              and not exists (select 1 from deliveries d where d.tenant_id = e.tenant_id and d.event_id = e.id and d.status = 'pending')
              and not exists (select 1 from dead_letters x where x.tenant_id = e.tenant_id and x.event_id = e.id
                              and x.replayed_at is null and x.dead_at >= :deadLetterCutoff)
            order by e.id
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
        )
        delete from events e using old where e.tenant_id = old.tenant_id and e.id = old.id
        """)
    int purgeEvents(@Bind("tenantId") long tenantId, @Bind("cutoff") Instant cutoff, @Bind("deadLetterCutoff") Instant deadLetterCutoff,
                    @Bind("batch") int batch);

    @SqlUpdate("delete from web_sessions where expires_at < :now")
    int purgeSessions(@Bind("now") Instant now);

    /** Page flashes nobody came back for (a redirect never followed). */
    @SqlUpdate("delete from web_flashes where expires_at <= :now")
    int purgeFlashes(@Bind("now") Instant now);
}
