package io.hookgate.ingest;

import io.hookgate.store.PlannedPerCall;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

@RegisterRowMapper(RejectionDao.RejectionMapper.class)
public interface RejectionDao {

    @SqlUpdate("insert into rejections (tenant_id, rejected_at, reason, message, task_id, source_ip, body_size, body_excerpt) "
        + "values (:tenantId, :at, :reason, :message, :taskId, :sourceIp, :bodySize, :excerpt)")
    void insert(@Bind("tenantId") TenantId tenantId, @Bind("at") Instant at, @Bind("reason") String reason,
                @Bind("message") String message, @Bind("taskId") String taskId, @Bind("sourceIp") String sourceIp,
                @Bind("bodySize") int bodySize, @Bind("excerpt") byte[] excerpt);

    /** Keeps the newest {@code keep} rows of the tenant. */
    @SqlUpdate("delete from rejections where tenant_id = :tenantId and id <= "
        + "(select id from rejections where tenant_id = :tenantId order by id desc offset :keep limit 1)")
    void prune(@Bind("tenantId") TenantId tenantId, @Bind("keep") int keep);

    @PlannedPerCall
    @SqlQuery("select * from rejections where (cast(:tenantId as bigint) is null or tenant_id = :tenantId) "
        + "and (cast(:reason as text) is null or reason = :reason) and (cast(:taskId as text) is null or task_id = :taskId) "
        + "and (cast(:before as bigint) is null or id < :before) order by id desc limit :limit")
    List<Rejection> newestFirst(@Bind("tenantId") Long tenantId, @Bind("reason") String reason, @Bind("taskId") String taskId,
                                @Bind("before") Long before, @Bind("limit") int limit);

    final class RejectionMapper implements RowMapper<Rejection> {
        @Override
        public Rejection map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Rejection(rs.getLong("id"), new TenantId(rs.getLong("tenant_id")), rs.getTimestamp("rejected_at").toInstant(),
                RejectionReason.valueOf(rs.getString("reason")), rs.getString("message"),
                rs.getString("task_id"), rs.getString("source_ip"), rs.getInt("body_size"), rs.getBytes("body_excerpt"));
        }
    }
}
