package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.DeliveryStatus;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DestinationService;
import io.hookgate.event.SamplePayloads;
import io.hookgate.replay.ReplayService;
import io.hookgate.support.KeysetPage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One destination: settings, signing secret, test send, and its deliveries. */
@Path("/api/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DestinationResource {

    public record RotateSecret(Double graceHours) {
    }

    private final DestinationService destinations;
    private final DeliveryService deliveries;
    private final ReplayService replays;

    public DestinationResource(DestinationService destinations, DeliveryService deliveries, ReplayService replays) {
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.replays = replays;
    }

    @GET
    @Path("/{id}")
    public DestinationJson get(@Auth Actor actor, @PathParam("id") long id) {
        return render(actor, destinations.get(actor, new DestinationId(id)));
    }

    @PUT
    @Path("/{id}")
    public DestinationJson update(@Auth Actor actor, @PathParam("id") long id, DestinationJson.Request body) {
        destinations.requireManage(actor, new DestinationId(id)); // a refusal, whatever the body holds
        DestinationJson.Request request = body == null ? new DestinationJson.Request(null, null, null, null, null, null, null, null, null, null, null) : body;
        return render(actor, destinations.update(actor, new DestinationId(id), request.settings(destinations.urlPolicy())));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Actor actor, @PathParam("id") long id) {
        destinations.delete(actor, new DestinationId(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/secret/rotate")
    public Map<String, String> rotateSecret(@Auth Actor actor, @PathParam("id") long id, RotateSecret body) {
        DestinationService.RotatedSecret rotated = destinations.rotateSecret(actor, new DestinationId(id),
            Optional.ofNullable(body).map(RotateSecret::graceHours));
        return Map.of("signingSecret", rotated.signingSecret(), "previousSecretValidUntil", rotated.previousSecretValidUntil().toString());
    }

    @POST
    @Path("/{id}/test")
    public Map<String, Object> test(@Auth Actor actor, @PathParam("id") long id) {
        return DestinationJson.attemptResult(destinations.sendTest(actor, new DestinationId(id),
            SamplePayloads.bytes(SamplePayloads.callCompletion())));
    }

    /**
     * The events the destination never got, received since {@code since} (until {@code until}, or now), sent in the
     * background as a replay (progress at /api/v1/replays/{id}).
     */
    @POST
    @Path("/{id}/replay-missing")
    public Response replayMissing(@Auth Actor actor, @PathParam("id") long id, @QueryParam("since") String since,
                                  @QueryParam("until") String until) {
        return DeadLetterResource.started(replays.startMissing(actor, new DestinationId(id), QueryParams.instant("since", since),
            QueryParams.instant("until", until)), false);
    }

    @GET
    @Path("/{id}/deliveries")
    public Map<String, Object> deliveries(@Auth Actor actor, @PathParam("id") long id, @QueryParam("status") String status,
                                          @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int pageSize = limit == null ? 50 : limit;
        KeysetPage<DeliveryService.Tracked, Long> found = deliveries.ofDestination(actor, new DestinationId(id),
            QueryParams.present(status).map(DeliveryStatus::fromWireName), KeysetPage.cursor(cursor), pageSize);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("circuit", deliveries.circuitState(new DestinationId(id)));
        deliveries.circuitTrialAt(new DestinationId(id)).ifPresent(at -> body.put("circuitTrialAt", at.toString()));
        body.putAll(PageJson.of(found, DeliveryJson::of));
        return body;
    }

    DestinationJson render(Actor actor, Destination destination) {
        boolean manages = actor.canManage(destination.tenantId());
        return DestinationJson.of(destination, manages, manages ? destinations.signingSecret(actor, destination.id()) : null,
            destinations.previousSecretValidUntil(destination.id()).map(Instant::toString).orElse(null),
            deliveries.circuitState(destination.id()),
            deliveries.circuitTrialAt(destination.id()).map(Instant::toString).orElse(null));
    }
}
