package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.delivery.DestinationId;
import io.hookgate.replay.DeadLetter;
import io.hookgate.replay.DeadLetterFilter;
import io.hookgate.replay.Replay;
import io.hookgate.replay.ReplayService;
import io.hookgate.support.KeysetPage;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Dead letters and their replay, one at a time or in bulk; bulk progress at /api/v1/replays/{id}. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class DeadLetterResource {

    private final ReplayService replays;

    public DeadLetterResource(ReplayService replays) {
        this.replays = replays;
    }

    @GET
    @Path("/dead-letters")
    public Map<String, Object> list(@Auth Actor actor, @QueryParam("tenantId") Long tenantId,
                                    @QueryParam("destinationId") Long destinationId, @QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("lastStatus") String lastStatus, @QueryParam("taskId") String taskId,
                                    @QueryParam("includeReplayed") String includeReplayed,
                                    @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int pageSize = limit == null ? 50 : limit;
        boolean replayedToo = QueryParams.bool("includeReplayed", includeReplayed).orElse(false);
        KeysetPage<DeadLetter, Long> found = replays.list(actor, filter(tenantId, destinationId, from, to, lastStatus, taskId), !replayedToo,
            KeysetPage.cursor(cursor), pageSize);
        return PageJson.of(found, DeadLetterResource::json);
    }

    @POST
    @Path("/dead-letters/{id}/replay")
    public Map<String, Object> replay(@Auth Actor actor, @PathParam("id") long id) {
        return json(replays.replay(actor, id));
    }

    @POST
    @Path("/dead-letters/replay")
    public Response replayAll(@Auth Actor actor, @QueryParam("tenantId") Long tenantId,
                              @QueryParam("destinationId") Long destinationId, @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("lastStatus") String lastStatus, @QueryParam("taskId") String taskId) {
        ReplayService.Started started = replays.startBulk(actor, filter(tenantId, destinationId, from, to, lastStatus, taskId));
        return started(started.replay(), started.existing());
    }

    /**
     * A bulk replay just asked for, running in the background: 202 with its id and how much it matched;
     * {@code alreadyRunning}: the same request was sent before and its replay is still queueing (a retry, a double click).
     */
    static Response started(Replay replay, boolean alreadyRunning) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replayId", replay.id());
        body.put("matched", replay.matched());
        body.put("alreadyRunning", alreadyRunning);
        return Response.accepted(body).build();
    }

    @GET
    @Path("/replays")
    public Map<String, Object> recent(@Auth Actor actor, @QueryParam("tenantId") Long tenantId,
                                      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        KeysetPage<Replay, Long> found = replays.recent(actor, Optional.ofNullable(tenantId).map(TenantId::new),
            KeysetPage.cursor(cursor), limit == null ? 50 : limit);
        return PageJson.of(found, DeadLetterResource::json);
    }

    @GET
    @Path("/replays/{id}")
    public Map<String, Object> progress(@Auth Actor actor, @PathParam("id") long id) {
        Replay r = replays.progress(actor, id);
        Map<String, Object> body = json(r);
        body.put("pending", replays.pending(r).stream().map(p -> {
            Map<String, Object> waiting = new LinkedHashMap<>();
            waiting.put("destinationId", p.destinationId().value());
            waiting.put("destinationName", p.destinationName());
            waiting.put("deliveries", p.deliveries());
            waiting.put("nextAttemptAt", p.nextAttemptAt().toString());
            waiting.put("enabled", p.enabled());
            waiting.put("circuit", p.circuit());
            return waiting;
        }).toList());
        return body;
    }

    private static Map<String, Object> json(Replay r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replayId", r.id());
        body.put("source", r.source().wireName());
        body.put("tenantId", r.filter().tenantId().map(TenantId::value).orElse(null));
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("destinationId", r.filter().destinationId().map(DestinationId::value).orElse(null));
        filter.put("from", r.filter().from().map(Object::toString).orElse(null));
        filter.put("to", r.filter().to().map(Object::toString).orElse(null));
        filter.put("lastStatus", r.filter().lastStatus().orElse(null));
        filter.put("taskId", r.filter().taskId().orElse(null));
        body.put("filter", filter);
        body.put("state", r.state());
        body.put("matched", r.matched());
        body.put("queued", r.queued());
        body.put("delivered", r.delivered());
        body.put("failed", r.failed());
        body.put("cancelled", r.cancelled());
        body.put("requestedBy", r.requestedBy());
        body.put("createdAt", r.createdAt().toString());
        body.put("updatedAt", r.updatedAt().toString());
        return body;
    }

    private static DeadLetterFilter filter(Long tenantId, Long destinationId, String from, String to, String lastStatus, String taskId) {
        return new DeadLetterFilter(Optional.ofNullable(tenantId).map(TenantId::new),
            Optional.ofNullable(destinationId).map(DestinationId::new), QueryParams.instant("from", from), QueryParams.instant("to", to),
            Optional.ofNullable(lastStatus), Optional.ofNullable(taskId));
    }

    private static Map<String, Object> json(DeadLetter d) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", d.id());
        item.put("tenantId", d.tenantId().value());
        item.put("deliveryId", d.deliveryId().value());
        item.put("eventId", d.eventId().value());
        item.put("taskId", d.taskId());
        item.put("destinationId", d.destinationId().value());
        item.put("destinationDeleted", d.destinationDeleted());
        item.put("attempts", d.attempts());
        item.put("lastStatusCode", d.lastStatusCode());
        item.put("lastError", d.lastError());
        item.put("deadAt", d.deadAt().toString());
        item.put("replayedAt", d.replayedAt() == null ? null : d.replayedAt().toString());
        item.put("replayedBy", d.replayedBy());
        item.put("replayDeliveryId", d.replayDeliveryId() == null ? null : d.replayDeliveryId().value());
        return item;
    }
}
