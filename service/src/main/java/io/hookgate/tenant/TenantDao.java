package io.hookgate.tenant;

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

@RegisterRowMapper(TenantDao.TenantMapper.class)
@RegisterRowMapper(TenantDao.KeyMapper.class)
public interface TenantDao {

    String COLUMNS = "id, name, status, callback_token, accept_unsigned, retention_days, created_at, updated_at";

    @SqlUpdate("insert into tenants (name, status, callback_token, accept_unsigned, created_at, updated_at) "
        + "values (:name, 'active', :token, true, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("name") String name, @Bind("token") String token, @Bind("now") Instant now);

    /** One stored KEY, sealed: whether the master key opens it tells whether it is the one they were sealed with. */
    @SqlQuery("select key_ciphertext from tenant_keys limit 1")
    Optional<byte[]> anySealedKey();

    @SqlQuery("select " + COLUMNS + " from tenants where id = :id")
    Optional<Tenant> find(@Bind("id") TenantId id);

    @SqlQuery("select " + COLUMNS + " from tenants where callback_token = :token")
    Optional<Tenant> findByToken(@Bind("token") String token);

    /** Another tenant with this name, compared as staff read it: case and surrounding spaces aside. */
    @SqlQuery("select exists (select 1 from tenants where lower(trim(name)) = lower(trim(:name)) and id <> coalesce(:except, -1))")
    boolean nameTaken(@Bind("name") String name, @Bind("except") Long exceptId);

    @SqlQuery("select " + COLUMNS + " from tenants where (cast(:search as text) is null or name ilike '%' || :search || '%') order by name, id")
    List<Tenant> list(@Bind("search") String search);

    @SqlUpdate("update tenants set name = :name, status = :status, accept_unsigned = :acceptUnsigned, retention_days = :retentionDays, "
        + "updated_at = :now where id = :id")
    void update(@Bind("id") TenantId id, @Bind("name") String name, @Bind("status") String status,
                @Bind("acceptUnsigned") boolean acceptUnsigned, @Bind("retentionDays") Integer retentionDays, @Bind("now") Instant now);

    @SqlUpdate("update tenants set callback_token = :token, updated_at = :now where id = :id")
    void updateToken(@Bind("id") TenantId id, @Bind("token") String token, @Bind("now") Instant now);

    @SqlUpdate("update tenants set updated_at = :now where id = :id")
    void touch(@Bind("id") TenantId id, @Bind("now") Instant now);

    @SqlUpdate("insert into tenant_keys (tenant_id, key_ciphertext, created_at) values (:tenantId, :ciphertext, :now)")
    void insertKey(@Bind("tenantId") TenantId tenantId, @Bind("ciphertext") byte[] ciphertext, @Bind("now") Instant now);

    /**
     * Ends the current KEY at {@code validUntil}, and any older one still in its grace period no later: a rotation
     * without grace is how a leaked KEY is cut off, so it must not leave an earlier rotation's grace running.
     */
    @SqlUpdate("update tenant_keys set valid_until = :validUntil where tenant_id = :tenantId "
        + "and (valid_until is null or valid_until > :validUntil)")
    int retireCurrentKey(@Bind("tenantId") TenantId tenantId, @Bind("validUntil") Instant validUntil);

    /** The KEYs a signature may match at {@code now}: the current one and those still in their grace period. */
    @SqlQuery("select id, key_ciphertext, created_at, valid_until from tenant_keys "
        + "where tenant_id = :tenantId and (valid_until is null or valid_until > :now) order by valid_until desc nulls first")
    List<TenantKeyRow> validKeys(@Bind("tenantId") TenantId tenantId, @Bind("now") Instant now);

    /** The last KEYs that stopped being valid before {@code now}, the latest first. */
    @SqlQuery("select id, key_ciphertext, created_at, valid_until from tenant_keys "
        + "where tenant_id = :tenantId and valid_until <= :now order by valid_until desc, id desc limit :limit")
    List<TenantKeyRow> retiredKeys(@Bind("tenantId") TenantId tenantId, @Bind("now") Instant now, @Bind("limit") int limit);

    @SqlQuery("select id, key_ciphertext, created_at, valid_until from tenant_keys where tenant_id = :tenantId and valid_until is null")
    Optional<TenantKeyRow> currentKey(@Bind("tenantId") TenantId tenantId);

    final class TenantMapper implements RowMapper<Tenant> {
        @Override
        public Tenant map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Tenant(new TenantId(rs.getLong("id")), rs.getString("name"),
                TenantStatus.fromWireName(rs.getString("status")), rs.getString("callback_token"),
                rs.getBoolean("accept_unsigned"), (Integer) rs.getObject("retention_days"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
        }
    }

    final class KeyMapper implements RowMapper<TenantKeyRow> {
        @Override
        public TenantKeyRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            var validUntil = rs.getTimestamp("valid_until");
            return new TenantKeyRow(rs.getLong("id"), rs.getBytes("key_ciphertext"), rs.getTimestamp("created_at").toInstant(),
                validUntil == null ? null : validUntil.toInstant());
        }
    }
}
