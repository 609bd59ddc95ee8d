package io.hookgate.audit;

import io.hookgate.auth.UserId;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;

public interface AuditDao {

    @SqlUpdate("insert into audit_log (at, actor_id, actor_email, action, tenant_id, target, detail) "
        + "values (:at, :actorId, :actorEmail, :action, :tenantId, :target, cast(:detail as jsonb))")
    void insert(@Bind("at") Instant at, @Bind("actorId") UserId actorId, @Bind("actorEmail") String actorEmail,
                @Bind("action") String action, @Bind("tenantId") TenantId tenantId, @Bind("target") String target,
                @Bind("detail") String detailJson);
}
