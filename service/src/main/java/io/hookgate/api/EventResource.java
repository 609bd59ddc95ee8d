package io.hookgate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.event.EventId;
import io.hookgate.event.EventService;
import io.hookgate.event.EventSummary;
import io.hookgate.event.StoredEvent;
import io.hookgate.support.Digests;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;

/** One stored event in full: its calls, headers, parsed payload and raw body. */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public final class EventResource {

    private final EventService events;
    private final ObjectMapper json;

    public EventResource(EventService events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @GET
    @Path("/{id}")
    public EventJson.Full get(@Auth Actor actor, @PathParam("id") long id) {
        StoredEvent stored = events.get(actor, new EventId(id));
        EventSummary e = stored.summary();
        String raw = new String(stored.body(), StandardCharsets.UTF_8);
        return new EventJson.Full(e.id().value(), e.tenantId().value(), e.kind().wireName(), e.signed(), e.receivedAt().toString(),
            e.sourceIp(), e.workflowId(), e.taskId(), e.callCount(), e.calls(), stored.headers(), Digests.hex(stored.bodySha256()),
            parse(stored.body()), raw);
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored event body is not JSON", e);
        }
    }

}
