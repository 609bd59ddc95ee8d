package io.hookgate.web;

import io.hookgate.ingest.Rejection;
import io.hookgate.ingest.RejectionLog;
import io.hookgate.ingest.RejectionQuery;
import io.hookgate.ingest.RejectionReason;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Requests the callback URLs refused, across tenants: when AIRUDDER reports errors for a TaskID that no event
 * search finds, this says why (a bad signature, invalid JSON, a suspended tenant).
 */
@Path("/rejections")
@Produces(MediaType.TEXT_HTML)
public final class RejectionPages {

    static final int PAGE = 50;

    private final RejectionLog rejections;
    private final TenantService tenants;
    private final Pages pages;

    public RejectionPages(RejectionLog rejections, TenantService tenants, Pages pages) {
        this.rejections = rejections;
        this.tenants = tenants;
        this.pages = pages;
    }

    @GET
    public Response search(@Context ContainerRequestContext request, @QueryParam("tenant") String tenant, @QueryParam("reason") String reason,
                           @QueryParam("taskId") String taskId, @QueryParam("cursor") String cursor) {
        WebRequest web = Pages.web(request);
        Map<String, Object> page = new HashMap<>();
        page.put("criteria", Map.of("tenant", FormValues.text(tenant), "reason", FormValues.text(reason), "taskId", FormValues.text(taskId)));
        List<Tenant> choices = tenants.list(web.actor(), Optional.empty());
        page.put("tenants", choices);
        page.put("tenantNames", choices.stream().collect(Collectors.toMap(t -> t.id().value(), Tenant::name)));
        page.put("reasons", RejectionReason.recorded().stream().map(RejectionReason::wireName).toList());
        try {
            RejectionQuery query = new RejectionQuery(FormValues.present(tenant).map(t -> new TenantId(FormValues.number("tenant", t))),
                FormValues.present(reason).map(RejectionReason::fromWireName),
                FormValues.present(taskId), KeysetPage.cursor(cursor), PAGE);
            KeysetPage<Rejection, Long> found = rejections.search(web.actor(), query);
            page.put("rows", found.items());
            PageLink same = PageLink.to("/rejections").with("tenant", FormValues.text(tenant))
                .with("reason", FormValues.text(reason)).with("taskId", FormValues.text(taskId));
            page.put("first", FormValues.present(cursor).isPresent() ? same.toString() : null);
            page.put("next", found.next().map(n -> same.with("cursor", n).toString()).orElse(null));
            page.put("error", "");
            return pages.render(web, "rejections", "rejections", page);
        } catch (Problem.Invalid e) {
            page.put("rows", List.of());
            page.put("next", null);
            page.put("first", null);
            page.put("error", FormErrors.message(e));
            return pages.html(400, "rejections", web.model("rejections", page));
        }
    }
}
