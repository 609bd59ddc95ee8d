package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.delivery.DeliveryId;
import io.hookgate.delivery.DeliveryService;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/api/v1/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public final class DeliveryResource {

    private final DeliveryService deliveries;

    public DeliveryResource(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    /** Attempt a waiting delivery now rather than at its scheduled retry. */
    @POST
    @Path("/{id}/retry")
    public DeliveryJson retry(@Auth Actor actor, @PathParam("id") long id) {
        return DeliveryJson.of(deliveries.retryNow(actor, new DeliveryId(id)), List.of());
    }
}
