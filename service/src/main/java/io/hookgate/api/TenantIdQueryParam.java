package io.hookgate.api;

import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import io.hookgate.web.WebSessionFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * A tenant filter naming no tenant is 404, as a tenant's own paths are, for every caller: the API's {@code tenantId}
 * and the pages' {@code tenant}. Else a typo answers an empty list ("no events") to a platform admin. A tenant admin
 * naming another tenant gets the same 404 from the services, so the answer tells nobody which tenants exist.
 */
@Priority(Priorities.USER + 1)
public final class TenantIdQueryParam implements ContainerRequestFilter {

    private final TenantService tenants;

    public TenantIdQueryParam(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String value = request.getUriInfo().getQueryParameters().getFirst(path.startsWith("api/") ? "tenantId" : "tenant");
        if (value == null || !(path.startsWith("api/") || WebSessionFilter.isPage(path)) || !value.matches("[0-9]{1,18}")) {
            return; // not a number: the endpoint's own parameter conversion refuses it
        }
        TenantId id = new TenantId(Long.parseLong(value));
        if (!tenants.exists(id)) {
            throw new Problem.NotFound("tenant " + id);
        }
    }
}
