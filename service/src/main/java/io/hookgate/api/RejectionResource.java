package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.ingest.RejectionLog;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;
import java.util.Optional;

/** Requests the callback URLs refused, across tenants: what support looks up when AIRUDDER reports errors. */
@Path("/api/v1/rejections")
@Produces(MediaType.APPLICATION_JSON)
public final class RejectionResource {

    private final RejectionLog rejections;

    public RejectionResource(RejectionLog rejections) {
        this.rejections = rejections;
    }

    /** The search of {@code GET /tenants/{id}/rejections} over every tenant the caller may read, or one ({@code tenantId}). */
    @GET
    public Map<String, Object> search(@Auth Actor actor, @QueryParam("tenantId") Long tenantId, @BeanParam RejectionSearchParams params) {
        return RejectionSearchParams.results(rejections.search(actor, params.query(Optional.ofNullable(tenantId).map(TenantId::new))));
    }
}
