package io.hookgate.auth;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

@RegisterRowMapper(SessionDao.SessionMapper.class)
public interface SessionDao {

    @SqlUpdate("insert into web_sessions (id_sha256, user_id, csrf_token, created_at, last_seen_at, expires_at) "
        + "values (:id, :userId, :csrf, :now, :now, :expires)")
    void insert(@Bind("id") byte[] idSha256, @Bind("userId") UserId userId, @Bind("csrf") String csrf, @Bind("now") Instant now,
                @Bind("expires") Instant expires);

    @SqlQuery("select u.id, u.email, u.role, u.tenant_id, u.disabled, u.created_at, " + UserDao.LOCKED_UNTIL
        + ", s.csrf_token, s.last_seen_at, s.expires_at from web_sessions s join users u on u.id = s.user_id "
        + "where s.id_sha256 = :id and s.expires_at > :now and not u.disabled")
    Optional<Row> find(@Bind("id") byte[] idSha256, @Bind("now") Instant now);

    /** Sliding idle expiry, written at most once a minute per session. */
    @SqlUpdate("update web_sessions set last_seen_at = :now, expires_at = least(:idleExpiry, created_at + cast(:absolute as interval)) "
        + "where id_sha256 = :id and last_seen_at < cast(:now as timestamptz) - interval '1 minute'")
    void touch(@Bind("id") byte[] idSha256, @Bind("now") Instant now, @Bind("idleExpiry") Instant idleExpiry, @Bind("absolute") String absolute);

    @SqlUpdate("delete from web_sessions where id_sha256 = :id")
    void delete(@Bind("id") byte[] idSha256);

    @SqlUpdate("delete from web_sessions where user_id = :userId")
    void deleteOfUser(@Bind("userId") UserId userId);

    record Row(User user, String csrfToken, Instant lastSeenAt, Instant expiresAt) {
    }

    final class SessionMapper implements RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(new UserDao.UserMapper().map(rs, ctx), rs.getString("csrf_token"), rs.getTimestamp("last_seen_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
        }
    }
}
