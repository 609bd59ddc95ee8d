package io.hookgate.auth;

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

@RegisterRowMapper(UserDao.UserMapper.class)
@RegisterRowMapper(UserDao.CredentialsMapper.class)
public interface UserDao {

    /** A lock that has run out reads as none. */
    String LOCKED_UNTIL = "case when locked_until > now() then locked_until end as locked_until";
    String COLUMNS = "id, email, role, tenant_id, disabled, created_at, " + LOCKED_UNTIL;

    /** What a login is checked against. */
    record Credentials(User user, String passwordHash, int failedLogins) {
    }

    @SqlUpdate("insert into users (email, password_hash, role, tenant_id, created_at, updated_at) "
        + "values (:email, :hash, :role, :tenantId, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("email") String email, @Bind("hash") String passwordHash, @Bind("role") String role,
                @Bind("tenantId") TenantId tenantId, @Bind("now") Instant now);

    @SqlQuery("select " + COLUMNS + " from users where id = :id")
    Optional<User> find(@Bind("id") UserId id);

    @SqlQuery("select " + COLUMNS + " from users order by email")
    List<User> list();

    @SqlQuery("select " + COLUMNS + " from users where tenant_id = :tenantId order by email")
    List<User> listOfTenant(@Bind("tenantId") TenantId tenantId);

    @SqlQuery("select " + COLUMNS + ", password_hash, failed_logins from users where lower(email) = lower(:email)")
    Optional<Credentials> credentials(@Bind("email") String email);

    @SqlQuery("select exists (select 1 from users)")
    boolean any();

    @SqlQuery("select exists (select 1 from users where lower(email) = lower(:email))")
    boolean emailTaken(@Bind("email") String email);

    @SqlUpdate("update users set role = :role, tenant_id = :tenantId, disabled = :disabled, updated_at = :now where id = :id")
    void update(@Bind("id") UserId id, @Bind("role") String role, @Bind("tenantId") TenantId tenantId,
                @Bind("disabled") boolean disabled, @Bind("now") Instant now);

    @SqlUpdate("update users set password_hash = :hash, failed_logins = 0, locked_until = null, updated_at = :now where id = :id")
    void setPassword(@Bind("id") UserId id, @Bind("hash") String passwordHash, @Bind("now") Instant now);

    /** A failed login counted: the failures in a row, and when this one locked the account, until when. */
    record FailedLogin(int failedLogins, Optional<Instant> lockedUntil) {
    }

    /** Counts a failure atomically; from the {@code threshold}th on, locks for 1, 2, 4 … minutes, at most an hour. */
    @SqlQuery("update users set failed_logins = failed_logins + 1, locked_until = case when failed_logins + 1 >= :threshold "
        + "then cast(:now as timestamptz) + least(60, power(2, failed_logins + 1 - :threshold)) * interval '1 minute' "
        + "else locked_until end where id = :id "
        + "returning failed_logins, case when failed_logins >= :threshold then locked_until end as locked_now")
    @RegisterRowMapper(FailedLoginMapper.class)
    FailedLogin recordFailedLogin(@Bind("id") UserId id, @Bind("threshold") int threshold, @Bind("now") Instant now);

    @SqlUpdate("update users set failed_logins = 0, locked_until = null where id = :id and failed_logins > 0")
    void clearFailedLogins(@Bind("id") UserId id);

    /** Serializes the first-admin check of instances starting together. */
    @SqlQuery("select 1 from (select pg_advisory_xact_lock(7346512001)) as locked")
    int lockBootstrap();

    final class UserMapper implements RowMapper<User> {
        @Override
        public User map(ResultSet rs, StatementContext ctx) throws SQLException {
            long tenant = rs.getLong("tenant_id");
            Optional<TenantId> tenantId = rs.wasNull() ? Optional.empty() : Optional.of(new TenantId(tenant));
            var locked = rs.getTimestamp("locked_until");
            return new User(new UserId(rs.getLong("id")), rs.getString("email"), Role.fromWireName(rs.getString("role")),
                tenantId, rs.getBoolean("disabled"), rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(locked).map(Timestamp::toInstant));
        }
    }

    final class FailedLoginMapper implements RowMapper<FailedLogin> {
        @Override
        public FailedLogin map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new FailedLogin(rs.getInt("failed_logins"), Optional.ofNullable(rs.getTimestamp("locked_now")).map(t -> t.toInstant()));
        }
    }

    final class CredentialsMapper implements RowMapper<Credentials> {
        @Override
        public Credentials map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Credentials(new UserMapper().map(rs, ctx), rs.getString("password_hash"), rs.getInt("failed_logins"));
        }
    }
}
