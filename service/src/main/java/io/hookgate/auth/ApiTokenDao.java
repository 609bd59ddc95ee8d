package io.hookgate.auth;

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

@RegisterRowMapper(ApiTokenDao.TokenMapper.class)
@RegisterRowMapper(UserDao.UserMapper.class)
public interface ApiTokenDao {

    @SqlUpdate("insert into api_tokens (user_id, token_sha256, name, created_at) values (:userId, :sha256, :name, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("userId") UserId userId, @Bind("sha256") byte[] sha256, @Bind("name") String name, @Bind("now") Instant now);

    @SqlQuery("select id, user_id, name, created_at, last_used_at from api_tokens where id = :id")
    Optional<ApiToken> find(@Bind("id") long id);

    @SqlQuery("select id, user_id, name, created_at, last_used_at from api_tokens where user_id = :userId order by id")
    List<ApiToken> ofUser(@Bind("userId") UserId userId);

    @SqlUpdate("delete from api_tokens where id = :id and user_id = :userId")
    int delete(@Bind("id") long id, @Bind("userId") UserId userId);

    @SqlQuery("select u.id, u.email, u.role, u.tenant_id, u.disabled, u.created_at, " + UserDao.LOCKED_UNTIL
        + " from api_tokens t join users u on u.id = t.user_id where t.token_sha256 = :sha256 and not u.disabled")
    Optional<User> userOf(@Bind("sha256") byte[] sha256);

    /** At most one write a minute per token, however often it is used. */
    @SqlUpdate("update api_tokens set last_used_at = :now where token_sha256 = :sha256 "
        + "and (last_used_at is null or last_used_at < cast(:now as timestamptz) - interval '1 minute')")
    void touch(@Bind("sha256") byte[] sha256, @Bind("now") Instant now);

    final class TokenMapper implements RowMapper<ApiToken> {
        @Override
        public ApiToken map(ResultSet rs, StatementContext ctx) throws SQLException {
            var used = rs.getTimestamp("last_used_at");
            return new ApiToken(rs.getLong("id"), new UserId(rs.getLong("user_id")), rs.getString("name"),
                rs.getTimestamp("created_at").toInstant(), used == null ? null : used.toInstant());
        }
    }
}
