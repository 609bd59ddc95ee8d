package io.hookgate.overview;

import io.hookgate.replay.DeadLetterDao;
import io.hookgate.store.PlannedPerCall;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Aggregates for the dashboard; a null tenant means every tenant. */
@PlannedPerCall
public interface OverviewDao {

    @SqlQuery("select date_trunc('hour', received_at) as hour, count(*) as n from events "
        + "where received_at >= :since and (cast(:tenantId as bigint) is null or tenant_id = :tenantId) group by 1")
    @KeyColumn("hour")
    @ValueColumn("n")
    Map<Instant, Long> eventsPerHour(@Bind("since") Instant since, @Bind("tenantId") Long tenantId);

    @SqlQuery("select date_trunc('hour', completed_at) as hour, count(*) as n from deliveries "
        + "where completed_at >= :since and status = :status and (cast(:tenantId as bigint) is null or tenant_id = :tenantId) group by 1")
    @KeyColumn("hour")
    @ValueColumn("n")
    Map<Instant, Long> deliveriesPerHour(@Bind("since") Instant since, @Bind("status") String status, @Bind("tenantId") Long tenantId);

    /** One tenant's, or every tenant's if none is given. */
    String TENANT = " and (cast(:tenantId as bigint) is null or tenant_id = :tenantId)";

    /** The pending deliveries: {@code paused} ones wait for their destination to be enabled again. */
    record Backlog(long unpaused, long paused) {
        public long total() {
            return unpaused + paused;
        }
    }

    /** Paused deliveries and the others are read apart, each by its index: no index covers all pending deliveries. */
    @SqlQuery("select (select count(*) from deliveries where status = 'pending' and not paused" + TENANT + ") as unpaused, "
        + "(select count(*) from deliveries where status = 'pending' and paused" + TENANT + ") as paused")
    @RegisterConstructorMapper(Backlog.class)
    Backlog backlog(@Bind("tenantId") Long tenantId);

    @SqlQuery("select least((select min(created_at) from deliveries where status = 'pending' and not paused" + TENANT + "), "
        + "(select min(created_at) from deliveries where status = 'pending' and paused" + TENANT + "))")
    Optional<Instant> oldestPending(@Bind("tenantId") Long tenantId);

    @SqlQuery("select count(*) from dead_letters where " + DeadLetterDao.WAITING + " and (cast(:tenantId as bigint) is null or tenant_id = :tenantId)")
    long deadLettersWaiting(@Bind("tenantId") Long tenantId);

    @SqlQuery("select id from destinations where deleted_at is null and (cast(:tenantId as bigint) is null or tenant_id = :tenantId)")
    List<Long> destinationIds(@Bind("tenantId") Long tenantId);
}
