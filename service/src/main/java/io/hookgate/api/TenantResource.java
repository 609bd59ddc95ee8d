package io.hookgate.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.dropwizard.auth.Auth;
import io.hookgate.auth.Actor;
import io.hookgate.auth.PasswordConfirmation;
import io.hookgate.auth.SessionService;
import io.hookgate.delivery.CreatedDestination;
import io.hookgate.delivery.DestinationService;
import io.hookgate.event.EventService;
import io.hookgate.ingest.RejectionLog;
import io.hookgate.ingest.TestCall;
import io.hookgate.tenant.CreatedTenant;
import io.hookgate.tenant.RotatedKey;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantChanges;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import io.hookgate.tenant.TenantStatus;
import io.hookgate.support.Problem;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tenants, and what belongs to one: its events and its rejected requests. */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class TenantResource {

    public record CreateTenant(String name, String key) {
    }

    /**
     * A PATCH: a field left out keeps its value. A class, not a record, because Jackson sets a field only when the body
     * names it, so an explicit {@code null} can mean something: {@code "retentionDays": null} (what a GET shows for the
     * default) returns to the default, like 0; a null name, status or acceptUnsigned is refused rather than ignored.
     */
    public static final class UpdateTenant {
        @JsonProperty
        @JsonSetter(nulls = Nulls.FAIL)
        private String name;
        @JsonProperty
        @JsonSetter(nulls = Nulls.FAIL)
        private String status;
        @JsonProperty
        @JsonSetter(nulls = Nulls.FAIL)
        private Boolean acceptUnsigned;
        @JsonProperty
        @JsonSetter(nulls = Nulls.AS_EMPTY)
        private Integer retentionDays;

        TenantChanges changes() {
            return new TenantChanges(Optional.ofNullable(name), Optional.ofNullable(status).map(TenantStatus::fromWireName),
                Optional.ofNullable(acceptUnsigned), Optional.ofNullable(retentionDays));
        }
    }

    public record RotateKey(Double graceHours, String key) {
    }

    public record RevealKey(String password) {
    }

    private final TenantService tenants;
    private final EventService events;
    private final RejectionLog rejections;
    private final DestinationService destinations;
    private final DestinationResource destinationView;
    private final SessionService sessions;
    private final TestCall testCall;

    public TenantResource(TenantService tenants, EventService events, RejectionLog rejections, DestinationService destinations,
                          DestinationResource destinationView, SessionService sessions, TestCall testCall) {
        this.tenants = tenants;
        this.events = events;
        this.rejections = rejections;
        this.destinations = destinations;
        this.destinationView = destinationView;
        this.sessions = sessions;
        this.testCall = testCall;
    }

    @POST
    public Response create(@Auth Actor actor, CreateTenant body) {
        if (body == null) {
            throw new Problem.Invalid("name", "is required");
        }
        CreatedTenant created = tenants.create(actor, body.name(), Optional.ofNullable(body.key()));
        Tenant tenant = created.tenant();
        return Response.created(URI.create("/api/v1/tenants/" + tenant.id()))
            .entity(TenantJson.of(tenant, tenants.callbackUrl(actor, tenant), created.key(), null))
            .build();
    }

    @GET
    public List<TenantJson> list(@Auth Actor actor, @QueryParam("search") String search) {
        return tenants.list(actor, Optional.ofNullable(search)).stream().map(t -> TenantJson.of(t, tenants.callbackUrl(actor, t), null, null)).toList();
    }

    @GET
    @Path("/{id}")
    public TenantJson get(@Auth Actor actor, @PathParam("id") long id) {
        Tenant tenant = tenants.get(actor, new TenantId(id));
        return TenantJson.of(tenant, tenants.callbackUrl(actor, tenant), null,
            tenants.previousKeyValidUntil(tenant.id()).map(Instant::toString).orElse(null));
    }

    @PATCH
    @Path("/{id}")
    public TenantJson update(@Auth Actor actor, @PathParam("id") long id, UpdateTenant body) {
        Tenant tenant = tenants.update(actor, new TenantId(id), (body == null ? new UpdateTenant() : body).changes());
        return TenantJson.of(tenant, tenants.callbackUrl(actor, tenant), null, null);
    }

    @POST
    @Path("/{id}/key/rotate")
    public Map<String, String> rotateKey(@Auth Actor actor, @PathParam("id") long id, RotateKey body) {
        RotateKey request = body == null ? new RotateKey(null, null) : body;
        RotatedKey rotated = tenants.rotateKey(actor, new TenantId(id), Optional.ofNullable(request.graceHours()),
            Optional.ofNullable(request.key()));
        return Map.of("key", rotated.key(), "previousKeyValidUntil", rotated.previousKeyValidUntil().toString());
    }

    /**
     * The current KEY in clear, after the caller's own password, as in the UI (an API token alone is not enough).
     * Wrong passwords count toward the account's lock; every reveal is audited.
     */
    @POST
    @Path("/{id}/key/reveal")
    public Map<String, String> revealKey(@Auth Actor actor, @PathParam("id") long id, RevealKey body) {
        TenantId tenant = new TenantId(id);
        actor.requireManage(tenant); // a refusal, whatever the body holds
        String password = body == null ? null : body.password();
        if (password == null || password.isEmpty()) {
            throw new Problem.Invalid("password", "is required: your own password, as the UI asks for it"); // not a wrong guess
        }
        PasswordConfirmation confirmation = sessions.confirmPassword(actor, password, "reveal the KEY of tenant " + tenant, Optional.of(tenant));
        if (!confirmation.confirmed()) {
            throw new Problem.Invalid("password", confirmation.lockedUntil()
                .map(until -> "your account is locked until " + until + " after 5 wrong passwords in a row")
                .orElse("is not your password; the KEY stays hidden"));
        }
        return Map.of("key", tenants.revealKey(actor, tenant));
    }

    /** Posts AIRUDDER's example call, signed with the tenant's current KEY, to its own callback URL: what came back. */
    @POST
    @Path("/{id}/test-call")
    public Map<String, Object> testCall(@Auth Actor actor, @PathParam("id") long id) {
        Tenant tenant = tenants.get(actor, new TenantId(id));
        TestCall.Result result = testCall.send(actor, tenant);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", result.status());
        body.put("answer", result.body());
        body.put("taskId", result.taskId());
        return body;
    }

    @POST
    @Path("/{id}/token/rotate")
    public Map<String, String> rotateToken(@Auth Actor actor, @PathParam("id") long id, Map<String, Object> body) {
        if (body != null && !body.isEmpty()) {
            // {"graceHours": 48} here would otherwise cut the old URL at once, with the caller believing it had a grace
            String field = body.keySet().iterator().next();
            throw new Problem.Invalid(field, "this endpoint takes no fields: the callback URL is replaced at once and the "
                + "old one stops working (only KEYs and signing secrets have a grace period)");
        }
        Tenant tenant = tenants.rotateCallbackToken(actor, new TenantId(id));
        return Map.of("callbackUrl", tenants.callbackUrl(actor, tenant));
    }

    @GET
    @Path("/{id}/events")
    public Map<String, Object> search(@Auth Actor actor, @PathParam("id") long tenantId, @BeanParam EventSearchParams params) {
        tenants.get(actor, new TenantId(tenantId)); // a tenant that does not exist is 404, not an empty list
        return EventSearchParams.results(events.search(actor, params.query(Optional.of(new TenantId(tenantId)))));
    }

    @GET
    @Path("/{id}/rejections")
    public Map<String, Object> rejections(@Auth Actor actor, @PathParam("id") long tenantId, @BeanParam RejectionSearchParams params) {
        tenants.get(actor, new TenantId(tenantId));
        return RejectionSearchParams.results(rejections.search(actor, params.query(Optional.of(new TenantId(tenantId)))));
    }

    @POST
    @Path("/{id}/destinations")
    public Response createDestination(@Auth Actor actor, @PathParam("id") long tenantId, DestinationJson.Request body) {
        actor.requireManage(new TenantId(tenantId)); // a refusal, whatever the body holds
        if (body == null) {
            throw new Problem.Invalid("name", "is required");
        }
        CreatedDestination created = destinations.create(actor, new TenantId(tenantId), body.settings(destinations.urlPolicy()));
        return Response.created(URI.create("/api/v1/destinations/" + created.destination().id()))
            .entity(destinationView.render(actor, created.destination())).build();
    }

    @GET
    @Path("/{id}/destinations")
    public List<DestinationJson> destinations(@Auth Actor actor, @PathParam("id") long tenantId) {
        return destinations.list(actor, new TenantId(tenantId)).stream().map(d -> destinationView.render(actor, d)).toList();
    }
}
