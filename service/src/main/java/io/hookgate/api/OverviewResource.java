package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.overview.Overview;
import io.hookgate.overview.OverviewService;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The dashboard's figures: the last 24 hours hour by hour, the backlog, dead letters, open circuits. */
@Path("/api/v1/overview")
@Produces(MediaType.APPLICATION_JSON)
public final class OverviewResource {

    private final OverviewService overview;

    public OverviewResource(OverviewService overview) {
        this.overview = overview;
    }

    /** Of one tenant ({@code tenantId}), or of every tenant the caller may read. */
    @GET
    public Map<String, Object> get(@Auth Actor actor, @QueryParam("tenantId") Long tenantId) {
        Overview o = overview.of(actor, Optional.ofNullable(tenantId).map(TenantId::new));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventsReceived24h", o.eventsReceived());
        body.put("deliveriesSucceeded24h", o.deliveriesSucceeded());
        body.put("deliveriesFailed24h", o.deliveriesFailed()); // died, replayed ones included
        body.put("backlog", o.backlog());
        body.put("backlogPaused", o.backlogPaused());
        body.put("oldestPendingSeconds", o.oldestPendingAge().map(Duration::toSeconds).orElse(null));
        body.put("deadLettersWaiting", o.deadLettersWaiting());
        body.put("openCircuits", o.openCircuits());
        body.put("hours", o.hours().stream().map(h -> Map.of("start", h.start().toString(), "events", h.events(),
            "succeeded", h.succeeded(), "failed", h.failed())).toList());
        return body;
    }
}
