package io.hookgate.audit;

import io.hookgate.auth.UserId;
import io.hookgate.store.LikePatterns;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public interface AuditDao extends SqlObject {

    @SqlUpdate("insert into audit_log (at, actor_id, actor_email, action, tenant_id, target, detail) "
        + "values (:at, :actorId, :actorEmail, :action, :tenantId, :target, cast(:detail as jsonb))")
    void insert(@Bind("at") Instant at, @Bind("actorId") UserId actorId, @Bind("actorEmail") String actorEmail,
                @Bind("action") String action, @Bind("tenantId") TenantId tenantId, @Bind("target") String target,
                @Bind("detail") String detailJson);

    /** Newest first, keyset-paginated on id; fetches one row more than the limit to know if a next page exists. */
    default List<AuditEntry> search(AuditQuery q) {
        StringBuilder sql = new StringBuilder("select a.id, a.at, a.actor_email, a.action, a.tenant_id, t.name as tenant_name, "
            + "a.target, cast(a.detail as text) as detail from audit_log a left join tenants t on t.id = a.tenant_id where true");
        Map<String, Object> binds = new LinkedHashMap<>();
        q.tenantId().ifPresent(v -> condition(sql, binds, " and a.tenant_id = :tenantId", "tenantId", v.value()));
        // backslash is LIKE's default escape; an explicit escape '\' would end Jdbi's quoted text early and hide the next :name
        q.action().ifPresent(v -> condition(sql, binds, " and a.action like :action", "action", LikePatterns.literal(v) + "%"));
        q.actorEmail().ifPresent(v -> condition(sql, binds, " and a.actor_email ilike :actor", "actor", "%" + LikePatterns.literal(v) + "%"));
        q.from().ifPresent(v -> condition(sql, binds, " and a.at >= :from", "from", v));
        q.to().ifPresent(v -> condition(sql, binds, " and a.at < :to", "to", v));
        q.before().ifPresent(v -> condition(sql, binds, " and a.id < :before", "before", v));
        sql.append(" order by a.id desc limit :limit");
        binds.put("limit", q.limit() + 1);
        Query query = getHandle().createQuery(sql.toString());
        binds.forEach(query::bind);
        return query.map((rs, ctx) -> {
            long tenant = rs.getLong("tenant_id");
            Optional<TenantId> tenantId = rs.wasNull() ? Optional.empty() : Optional.of(new TenantId(tenant));
            Timestamp at = rs.getTimestamp("at");
            return new AuditEntry(rs.getLong("id"), at.toInstant(), rs.getString("actor_email"), rs.getString("action"), tenantId,
                Optional.ofNullable(rs.getString("tenant_name")), rs.getString("target"), rs.getString("detail"));
        }).list();
    }

    private static void condition(StringBuilder sql, Map<String, Object> binds, String clause, String name, Object value) {
        sql.append(clause);
        binds.put(name, value);
    }
}
