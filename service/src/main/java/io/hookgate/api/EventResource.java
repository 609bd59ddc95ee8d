package io.hookgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.DestinationId;
import io.hookgate.event.EventId;
import io.hookgate.event.EventService;
import io.hookgate.event.EventSummary;
import io.hookgate.event.StoredEvent;
import io.hookgate.support.Digests;
import io.hookgate.tenant.TenantId;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Events across tenants: searched, and one in full with its calls, headers, parsed payload and raw body. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventResource {

    public record Redeliver(Long destinationId) {
    }

    private final EventService events;
    private final DeliveryService deliveries;
    private final ObjectMapper json;

    public EventResource(EventService events, DeliveryService deliveries, ObjectMapper json) {
        this.events = events;
        this.deliveries = deliveries;
        this.json = json;
    }

    /** The search of {@code GET /tenants/{id}/events} over every tenant the caller may read, or one ({@code tenantId}). */
    @GET
    public Map<String, Object> search(@Auth Actor actor, @QueryParam("tenantId") Long tenantId, @BeanParam EventSearchParams params) {
        return EventSearchParams.results(events.search(actor, params.query(Optional.ofNullable(tenantId).map(TenantId::new))));
    }

    @GET
    @Path("/{id}")
    public EventJson.Full get(@Auth Actor actor, @PathParam("id") long id) {
        StoredEvent stored = events.get(actor, new EventId(id));
        EventSummary e = stored.summary();
        String raw = new String(stored.body(), StandardCharsets.UTF_8);
        return new EventJson.Full(e.id().value(), e.tenantId().value(), e.kind().wireName(), e.signed(), e.receivedAt().toString(),
            e.sourceIp(), e.workflowId(), e.taskId(), e.callCount(), e.calls(), stored.headers(), Digests.hex(stored.bodySha256()),
            parse(stored.body()), raw, deliveries.ofEvent(actor, e.id()).stream().map(DeliveryJson::of).toList());
    }

    /** Sends the event again, also after it was delivered: to one destination, or to each it went to. */
    @POST
    @Path("/{id}/redeliver")
    @Consumes(MediaType.WILDCARD)
    public Response redeliver(@Auth Actor actor, @PathParam("id") long id, Redeliver body) {
        Optional<DestinationId> destination = Optional.ofNullable(body).map(Redeliver::destinationId).map(DestinationId::new);
        List<DeliveryJson> created = deliveries.redeliver(actor, new EventId(id), destination).stream()
            .map(d -> DeliveryJson.of(d, List.of())).toList();
        return Response.accepted(Map.of("deliveries", created)).build();
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("a stored event body is not JSON", e);
        }
    }

}
