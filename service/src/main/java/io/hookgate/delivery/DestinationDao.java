package io.hookgate.delivery;

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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@RegisterRowMapper(DestinationDao.RowMapperImpl.class)
public interface DestinationDao {

    String COLUMNS = "tenant_id, id, name, url, enabled, kinds, cast(filter as text) as filter, headers_ciphertext, timeout_ms, "
        + "max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, rate_limit_per_second, max_in_flight, "
        + "created_at, updated_at, deleted_at";

    @SqlUpdate("insert into destinations (tenant_id, name, url, enabled, kinds, filter, filter_path, headers_ciphertext, timeout_ms, "
        + "max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, rate_limit_per_second, max_in_flight, created_at, updated_at) "
        + "values (:tenantId, :name, :url, :enabled, cast(:kinds as text[]), cast(:filter as jsonb), cast(:filterPath as jsonpath), :headers, "
        + ":timeoutMs, :maxAttempts, :initialMs, :multiplier, :maxMs, :rateLimit, :maxInFlight, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("tenantId") TenantId tenantId, @Bind("name") String name, @Bind("url") String url, @Bind("enabled") boolean enabled,
                @Bind("kinds") String[] kinds, @Bind("filter") String filterJson, @Bind("filterPath") String filterPath,
                @Bind("headers") byte[] headersCiphertext, @Bind("timeoutMs") int timeoutMs, @Bind("maxAttempts") int maxAttempts,
                @Bind("initialMs") long initialMs, @Bind("multiplier") double multiplier, @Bind("maxMs") long maxMs,
                @Bind("rateLimit") Double rateLimit, @Bind("maxInFlight") int maxInFlight, @Bind("now") Instant now);

    @SqlUpdate("update destinations set name = :name, url = :url, enabled = :enabled, kinds = cast(:kinds as text[]), "
        + "filter = cast(:filter as jsonb), filter_path = cast(:filterPath as jsonpath), headers_ciphertext = :headers, "
        + "timeout_ms = :timeoutMs, max_attempts = :maxAttempts, backoff_initial_ms = :initialMs, backoff_multiplier = :multiplier, "
        + "backoff_max_ms = :maxMs, rate_limit_per_second = :rateLimit, max_in_flight = :maxInFlight, updated_at = :now "
        + "where id = :id and deleted_at is null")
    int update(@Bind("id") DestinationId id, @Bind("name") String name, @Bind("url") String url, @Bind("enabled") boolean enabled,
               @Bind("kinds") String[] kinds, @Bind("filter") String filterJson, @Bind("filterPath") String filterPath,
               @Bind("headers") byte[] headersCiphertext, @Bind("timeoutMs") int timeoutMs, @Bind("maxAttempts") int maxAttempts,
               @Bind("initialMs") long initialMs, @Bind("multiplier") double multiplier, @Bind("maxMs") long maxMs,
               @Bind("rateLimit") Double rateLimit, @Bind("maxInFlight") int maxInFlight, @Bind("now") Instant now);

    @SqlQuery("select " + COLUMNS + " from destinations where id = :id")
    Optional<DestinationRow> find(@Bind("id") DestinationId id);

    @SqlQuery("select " + COLUMNS + " from destinations where id = any(:ids)")
    List<DestinationRow> findAll(@Bind("ids") long[] ids);

    /** Serializes the checks of the tenant's destination names; "no key": new rows referring to the tenant go on. */
    @SqlQuery("select id from tenants where id = :tenantId for no key update")
    Optional<Long> lockTenant(@Bind("tenantId") TenantId tenant);

    /** 1 if it was switched, 0 if it already was so (or is deleted). */
    @SqlUpdate("update destinations set enabled = :enabled, updated_at = :now where id = :id and deleted_at is null and enabled <> :enabled")
    int setEnabled(@Bind("id") DestinationId id, @Bind("enabled") boolean enabled, @Bind("now") Instant now);

    /** Another of the tenant's destinations with this name, compared as people read it: case and surrounding spaces aside. */
    @SqlQuery("select exists (select 1 from destinations where tenant_id = :tenantId and deleted_at is null "
        + "and lower(trim(name)) = lower(trim(:name)) and id <> coalesce(:except, -1))")
    boolean nameTaken(@Bind("tenantId") TenantId tenant, @Bind("name") String name, @Bind("except") Long exceptId);

    @SqlQuery("select " + COLUMNS + " from destinations where tenant_id = :tenantId and deleted_at is null order by name, id")
    List<DestinationRow> ofTenant(@Bind("tenantId") TenantId tenantId);

    @SqlUpdate("update destinations set deleted_at = :now, enabled = false, updated_at = :now where id = :id and deleted_at is null")
    int markDeleted(@Bind("id") DestinationId id, @Bind("now") Instant now);

    /**
     * Pending deliveries due by {@code deferredUntil} are due now: a circuit started afresh no longer holds back those
     * its open state put off to its trial (nor, a little early, retries that fell due by then), and those long overdue
     * (a backlog just resumed) come after the claims' floor, where the next claim finds them rather than the next sweep.
     */
    @SqlUpdate("update deliveries set next_attempt_at = :now, updated_at = :now where destination_id = :id and status = 'pending' "
        + "and not paused and lease_token is null and next_attempt_at <> :now and next_attempt_at <= :deferredUntil")
    int dueNow(@Bind("id") DestinationId id, @Bind("now") Instant now, @Bind("deferredUntil") Instant deferredUntil);

    /**
     * A disabled destination's pending deliveries wait out of the due index. Those in flight are left: their attempt
     * ends them or gives them back, and claims leave a disabled destination's alone (DeliveryDao.SENDABLE).
     */
    @SqlUpdate("update deliveries set paused = true, updated_at = :now where destination_id = :id and status = 'pending' "
        + "and not paused and lease_token is null")
    int pausePending(@Bind("id") DestinationId id, @Bind("now") Instant now);

    @SqlUpdate("update deliveries set paused = false, updated_at = :now where destination_id = :id and status = 'pending' and paused")
    int resumePaused(@Bind("id") DestinationId id, @Bind("now") Instant now);

    /** Pending deliveries of a deleted destination end as cancelled: visible, never silently gone. */
    @SqlUpdate("update deliveries set status = 'cancelled', lease_token = null, last_error = 'destination deleted', "
        + "completed_at = :now, updated_at = :now where destination_id = :id and status = 'pending'")
    int cancelPending(@Bind("id") DestinationId id, @Bind("now") Instant now);

    @SqlUpdate("insert into destination_secrets (tenant_id, destination_id, secret_ciphertext, created_at) values (:tenantId, :id, :secret, :now)")
    void insertSecret(@Bind("tenantId") TenantId tenantId, @Bind("id") DestinationId id, @Bind("secret") byte[] secretCiphertext,
                      @Bind("now") Instant now);

    /** Ends the current secret at {@code validUntil}, and any older one still in its overlap no later (as for KEYs). */
    @SqlUpdate("update destination_secrets set valid_until = :validUntil where destination_id = :id "
        + "and (valid_until is null or valid_until > :validUntil)")
    int retireCurrentSecret(@Bind("id") DestinationId id, @Bind("validUntil") Instant validUntil);

    /** Current secret first, then those still in their rotation overlap. */
    @SqlQuery("select secret_ciphertext from destination_secrets where destination_id = :id "
        + "and (valid_until is null or valid_until > :now) order by valid_until desc nulls first")
    List<byte[]> validSecrets(@Bind("id") DestinationId id, @Bind("now") Instant now);

    @SqlQuery("select max(valid_until) from destination_secrets where destination_id = :id and valid_until > :now")
    Optional<Instant> previousSecretValidUntil(@Bind("id") DestinationId id, @Bind("now") Instant now);

    final class RowMapperImpl implements RowMapper<DestinationRow> {
        @Override
        public DestinationRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            double rate = rs.getDouble("rate_limit_per_second");
            Double rateLimit = rs.wasNull() ? null : rate;
            return new DestinationRow(new DestinationId(rs.getLong("id")), new TenantId(rs.getLong("tenant_id")), rs.getString("name"),
                rs.getString("url"), rs.getBoolean("enabled"), (String[]) rs.getArray("kinds").getArray(), rs.getString("filter"),
                rs.getBytes("headers_ciphertext"), rs.getInt("timeout_ms"), rs.getInt("max_attempts"), rs.getLong("backoff_initial_ms"),
                rs.getDouble("backoff_multiplier"), rs.getLong("backoff_max_ms"), rateLimit, rs.getInt("max_in_flight"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("deleted_at")));
        }

        private static Instant instant(Timestamp ts) {
            return ts == null ? null : ts.toInstant();
        }
    }
}
