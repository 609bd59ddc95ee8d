package io.hookgate.auth;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.Optional;

public interface FlashDao {

    @SqlUpdate("insert into web_flashes (id_sha256, user_id, sealed, expires_at) values (:id, :userId, :sealed, :expires)")
    void insert(@Bind("id") byte[] idSha256, @Bind("userId") UserId userId, @Bind("sealed") byte[] sealed, @Bind("expires") Instant expires);

    /** Reads without removing, for as long as it is kept; another user's finds nothing. */
    @SqlQuery("select sealed from web_flashes where id_sha256 = :id and user_id = :userId and expires_at > :now")
    Optional<byte[]> read(@Bind("id") byte[] idSha256, @Bind("userId") UserId userId, @Bind("now") Instant now);

    @SqlUpdate("update web_flashes set expires_at = :expires where id_sha256 = :id and user_id = :userId and expires_at > :now")
    void prolong(@Bind("id") byte[] idSha256, @Bind("userId") UserId userId, @Bind("now") Instant now, @Bind("expires") Instant expires);

    /** Reads and removes in one statement: a second read, or one by another user, finds nothing. */
    @SqlQuery("delete from web_flashes where id_sha256 = :id and user_id = :userId and expires_at > :now returning sealed")
    Optional<byte[]> take(@Bind("id") byte[] idSha256, @Bind("userId") UserId userId, @Bind("now") Instant now);
}
