package io.hookgate.web;

import io.hookgate.auth.PageFlashes;
import io.hookgate.auth.PasswordConfirmation;
import io.hookgate.auth.Role;
import io.hookgate.auth.SessionService;
import io.hookgate.delivery.AttemptResult;
import io.hookgate.delivery.CreatedDestination;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.DeliveryStatus;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DestinationMasks;
import io.hookgate.delivery.DestinationService;
import io.hookgate.event.SamplePayloads;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Destinations: create and edit with errors next to fields, secret reveal and rotation, test send, deliveries. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public final class DestinationPages {

    private static final int DELIVERIES_PER_PAGE = 50;

    private final DestinationService destinations;
    private final DeliveryService deliveries;
    private final TenantService tenants;
    private final SessionService sessions;
    private final PageFlashes flashes;
    private final Pages pages;

    /** What the destination page shows of a test send, kept for the page the send redirects to. */
    record TestSend(long destinationId, boolean succeeded, Integer statusCode, int durationMs, String summary, String responseExcerpt) {

        static TestSend of(DestinationId destination, AttemptResult result) {
            return new TestSend(destination.value(), result.succeeded(), result.statusCode(), result.durationMs(), result.summary(),
                result.responseExcerpt());
        }
    }

    /** A signing secret on its way from a form (rotation, reveal) to the page that shows it once, with its notice. */
    record ShownSecret(long destinationId, String secret, String notice) {
    }

    public DestinationPages(DestinationService destinations, DeliveryService deliveries, TenantService tenants, SessionService sessions,
                            PageFlashes flashes, Pages pages) {
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.tenants = tenants;
        this.sessions = sessions;
        this.flashes = flashes;
        this.pages = pages;
    }

    @GET
    @Path("destinations/new")
    public Response newForm(@Context ContainerRequestContext request, @QueryParam("tenant") Long tenantId) {
        WebRequest web = Pages.web(request);
        if (tenantId == null) {
            // a destination belongs to a tenant: a tenant admin's own, or one chosen from the list
            if (web.actor().role() == Role.SUPPORT) {
                throw new Problem.Forbidden("the support role cannot add destinations");
            }
            return web.actor().tenantId().map(own -> Pages.redirect("/destinations/new?tenant=" + own))
                .orElseGet(() -> Pages.redirect("/tenants?notice=choose-tenant"));
        }
        Tenant tenant = tenants.get(web.actor(), new TenantId(tenantId));
        web.actor().requireManage(tenant.id());
        return formPage(web, tenant, null, DestinationForm.blank(), Map.of(), 200);
    }

    @POST
    @Path("destinations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@Context ContainerRequestContext request, @QueryParam("tenant") long tenantId, MultivaluedMap<String, String> fields) {
        WebRequest web = Pages.web(request);
        Tenant tenant = tenants.get(web.actor(), new TenantId(tenantId));
        web.actor().requireManage(tenant.id()); // a refusal, whatever the form holds
        DestinationForm form = DestinationForm.read(fields);
        try {
            CreatedDestination created = destinations.create(web.actor(), tenant.id(), form.settings(destinations.urlPolicy()));
            // as the API answers a creation: the receiver needs the secret to check signatures, so it is shown once now
            return showSecret(web, created.destination().id(), created.signingSecret(),
                "Destination saved. Give the receiver its signing secret, shown here once: it verifies the webhook-signature header with it.");
        } catch (FieldErrors.Invalid e) {
            return formPage(web, tenant, null, form, e.byField(), 400);
        } catch (Problem.Invalid e) {
            return formPage(web, tenant, null, form, Map.of(DestinationForm.fieldOf(e), FormErrors.message(e)), 400);
        }
    }

    @GET
    @Path("destinations/{id}")
    public Response view(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("notice") String notice,
                         @QueryParam("status") String status, @QueryParam("test") String test, @QueryParam("shown") String shown,
                         @QueryParam("cursor") String cursor, @QueryParam("refused") String refused) {
        WebRequest web = Pages.web(request);
        Map<String, Object> extra = new HashMap<>();
        extra.put("notice", Notices.text(notice));
        PasswordRefusals.take(flashes, web.actor(), refused, "/destinations/" + id).ifPresent(message -> extra.put("secretError", message));
        flashes.read(web.actor(), test, TestSend.class).filter(t -> t.destinationId() == id).ifPresent(t -> extra.put("testResult", t));
        flashes.take(web.actor(), shown, ShownSecret.class).filter(s -> s.destinationId() == id).ifPresent(s -> {
            extra.put("secret", s.secret());
            extra.put("notice", s.notice());
        });
        DeliveryListing listing = new DeliveryListing(FormValues.present(status), KeysetPage.cursor(cursor));
        return destinationPage(web, new DestinationId(id), listing, extra, null, Map.of(), 200);
    }

    @POST
    @Path("destinations/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@Context ContainerRequestContext request, @PathParam("id") long id, MultivaluedMap<String, String> fields) {
        WebRequest web = Pages.web(request);
        destinations.requireManage(web.actor(), new DestinationId(id)); // a refusal, whatever the form holds
        DestinationForm form = DestinationForm.read(fields);
        try {
            destinations.update(web.actor(), new DestinationId(id), form.settings(destinations.urlPolicy()));
            return Pages.redirect("/destinations/" + id + "?notice=destination-saved");
        } catch (FieldErrors.Invalid e) {
            return destinationPage(web, new DestinationId(id), DeliveryListing.NEWEST, Map.of(), form, e.byField(), 400);
        } catch (Problem.Invalid e) {
            return destinationPage(web, new DestinationId(id), DeliveryListing.NEWEST, Map.of(), form, Map.of(DestinationForm.fieldOf(e), FormErrors.message(e)), 400);
        }
    }

    /** One click to switch a destination off while its receiver is down, and on again, without the settings form. */
    @POST
    @Path("destinations/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("enabled") String enabled) {
        WebRequest web = Pages.web(request);
        destinations.requireManage(web.actor(), new DestinationId(id)); // a refusal, whatever the form holds
        if (!"true".equals(enabled) && !"false".equals(enabled)) {
            throw new Problem.Invalid("enabled", "must be true or false");
        }
        Destination saved = destinations.setEnabled(web.actor(), new DestinationId(id), Boolean.parseBoolean(enabled));
        return Pages.redirect("/destinations/" + id + "?notice=" + (saved.enabled() ? "destination-enabled" : "destination-disabled"));
    }

    @POST
    @Path("destinations/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@Context ContainerRequestContext request, @PathParam("id") long id) {
        WebRequest web = Pages.web(request);
        Destination destination = destinations.get(web.actor(), new DestinationId(id));
        destinations.delete(web.actor(), destination.id());
        return Pages.redirect("/tenants/" + destination.tenantId() + "?notice=destination-deleted");
    }

    @POST
    @Path("destinations/{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@Context ContainerRequestContext request, @PathParam("id") long id) {
        WebRequest web = Pages.web(request);
        DestinationId destination = new DestinationId(id);
        AttemptResult result = destinations.sendTest(web.actor(), destination, SamplePayloads.bytes(SamplePayloads.callCompletion()));
        return Pages.redirect("/destinations/" + id + "?test=" + flashes.keep(web.actor(), TestSend.of(destination, result)));
    }

    @POST
    @Path("destinations/{id}/secret/reveal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revealSecret(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("password") String password) {
        WebRequest web = Pages.web(request);
        DestinationId destination = new DestinationId(id);
        TenantId tenant = destinations.get(web.actor(), destination).tenantId();
        web.actor().requireManage(tenant);
        PasswordConfirmation confirmation = sessions.confirmPassword(web.actor(), password,
            "reveal the signing secret of destination " + destination, Optional.of(tenant));
        if (!confirmation.confirmed()) {
            return PasswordRefusals.redirect(flashes, web.actor(), "/destinations/" + id, confirmation, "the secret stays hidden");
        }
        return showSecret(web, destination, destinations.revealSigningSecret(web.actor(), destination), "");
    }

    @POST
    @Path("destinations/{id}/secret/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateSecret(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("graceHours") String graceHours) {
        WebRequest web = Pages.web(request);
        DestinationId destination = new DestinationId(id);
        destinations.requireManage(web.actor(), destination);
        Optional<Double> hours;
        try {
            hours = FormValues.hours("graceHours", graceHours);
        } catch (Problem.Invalid e) {
            return destinationPage(web, destination, DeliveryListing.NEWEST, Map.of("secretError", "The overlap must be a number of hours."), null, Map.of(), 400);
        }
        DestinationService.RotatedSecret rotated = destinations.rotateSecret(web.actor(), destination, hours);
        return showSecret(web, destination, rotated.signingSecret(), rotated.previousSecretStillSigns()
            ? "New signing secret created; the previous one keeps signing until " + UtcInstants.of(rotated.previousSecretValidUntil()) + "."
            : "New signing secret created; the previous one no longer signs: give the receiver the new one now.");
    }

    /** Post/redirect/get for a form whose result is the secret: the destination page shows it once, a reload neither shows nor redoes it. */
    private Response showSecret(WebRequest web, DestinationId destination, String secret, String notice) {
        return Pages.redirect("/destinations/" + destination.value() + "?shown="
            + flashes.keep(web.actor(), new ShownSecret(destination.value(), secret, notice)));
    }

    private Response formPage(WebRequest web, Tenant tenant, Destination destination, DestinationForm form, Map<String, String> errors, int status) {
        Map<String, Object> page = new HashMap<>();
        page.put("tenant", tenant);
        page.put("destination", destination);
        page.put("form", form);
        page.put("errors", errors);
        page.put("allKinds", DestinationForm.ALL_KINDS);
        return pages.html(status, "destination-form", web.model("tenants", page));
    }

    /** Which of the destination's deliveries its page lists: of a status, or any; from the newest, or below a cursor. */
    private record DeliveryListing(Optional<String> status, Optional<Long> cursor) {
        static final DeliveryListing NEWEST = new DeliveryListing(Optional.empty(), Optional.empty());
    }

    private Response destinationPage(WebRequest web, DestinationId id, DeliveryListing listing, Map<String, ?> extra, DestinationForm form,
                                     Map<String, String> errors, int httpStatus) {
        Destination destination = destinations.get(web.actor(), id);
        Tenant tenant = tenants.get(web.actor(), destination.tenantId());
        Map<String, Object> page = new HashMap<>(extra);
        page.putIfAbsent("notice", "");
        page.put("tenant", tenant);
        page.put("destination", destination);
        page.put("form", form == null ? DestinationForm.of(destination) : form);
        page.put("errors", errors);
        page.put("allKinds", DestinationForm.ALL_KINDS);
        boolean manages = web.actor().canManage(destination.tenantId());
        page.put("canManage", manages);
        page.put("url", DestinationMasks.url(destination.url(), manages));
        page.put("canReplay", manages || web.actor().role() == Role.SUPPORT);
        page.put("circuit", deliveries.circuitState(id));
        page.put("circuitTrialAt", deliveries.circuitTrialAt(id).orElse(null));
        page.put("previousSecretValidUntil", destinations.previousSecretValidUntil(id).orElse(null));
        page.put("statusFilter", listing.status().orElse(""));
        KeysetPage<DeliveryService.Tracked, Long> found = deliveries.ofDestination(web.actor(), id,
            listing.status().map(DeliveryStatus::fromWireName), listing.cursor(), DELIVERIES_PER_PAGE);
        page.put("deliveries", found.items());
        PageLink same = PageLink.to("/destinations/" + id.value()).with("status", listing.status().orElse(""));
        page.put("first", listing.cursor().isPresent() ? same + "#deliveries" : null);
        page.put("next", found.next().map(n -> same.with("cursor", n) + "#deliveries").orElse(null));
        return pages.html(httpStatus, "destination", web.model("tenants", page));
    }
}
