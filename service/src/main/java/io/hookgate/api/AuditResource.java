package io.hookgate.api;

import io.hookgate.audit.AuditEntry;
import io.hookgate.audit.AuditLog;
import io.hookgate.audit.AuditQuery;
import io.hookgate.auth.Actor;
import io.hookgate.support.KeysetPage;
import io.hookgate.tenant.TenantId;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The audit log, as the UI's Audit log page shows it: who did what, to what, when; a tenant admin sees its tenant's. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource {

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    /** {@code action}: a prefix ("user." finds user.create and user.update); {@code actor}: part of an email. */
    @GET
    public Map<String, Object> search(@Auth Actor actor, @QueryParam("action") String action,
                                      @QueryParam("actor") String actorEmail, @QueryParam("tenantId") Long tenantId,
                                      @QueryParam("from") String from, @QueryParam("to") String to,
                                      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        KeysetPage<AuditEntry, Long> page = audit.search(actor, new AuditQuery(QueryParams.present(action), QueryParams.present(actorEmail),
            Optional.ofNullable(tenantId).map(TenantId::new), QueryParams.instant("from", from), QueryParams.instant("to", to),
            KeysetPage.cursor(cursor), limit == null ? AuditQuery.DEFAULT_LIMIT : limit));
        return PageJson.of(page, this::item);
    }

    private Map<String, Object> item(AuditEntry e) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", e.id());
        item.put("at", e.at().toString());
        item.put("actor", e.actorEmail());
        item.put("action", e.action());
        item.put("tenantId", e.tenantId().map(TenantId::value).orElse(null));
        item.put("tenantName", e.tenantName().orElse(null));
        item.put("target", e.target());
        item.put("detail", audit.detail(e));
        return item;
    }
}
