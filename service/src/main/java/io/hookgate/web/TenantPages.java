package io.hookgate.web;

import io.hookgate.auth.PageFlashes;
import io.hookgate.auth.PasswordConfirmation;
import io.hookgate.auth.SessionService;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationMasks;
import io.hookgate.delivery.DestinationService;
import io.hookgate.event.EventId;
import io.hookgate.event.EventKind;
import io.hookgate.event.EventQuery;
import io.hookgate.event.EventService;
import io.hookgate.event.EventSummary;
import io.hookgate.ingest.RejectionLog;
import io.hookgate.ingest.RejectionQuery;
import io.hookgate.ingest.TestCall;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.CreatedTenant;
import io.hookgate.tenant.RotatedKey;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantChanges;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import io.hookgate.tenant.TenantStatus;
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
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Tenants: the list, the onboarding wizard, a tenant's page with its KEY, callback URL, destinations and rejections. */
@Path("/tenants")
@Produces(MediaType.TEXT_HTML)
public final class TenantPages {

    private final TenantService tenants;
    private final DestinationService destinations;
    private final DeliveryService deliveries;
    private final RejectionLog rejections;
    private final EventService events;
    private final SessionService sessions;
    private final TestCall testCall;
    private final PageFlashes flashes;
    private final Pages pages;
    /** Events' retention where a tenant sets none, shown beside the tenant's own. */
    private final Duration defaultRetention;

    /** A KEY on its way from a form (onboarding, rotation, reveal) to the page that shows it once, with the notice that goes with it. */
    record ShownKey(long tenantId, String key, String notice) {
    }

    /** What the callback URL answered a test call, on its way to the page that follows the call (not in its URL: anyone could forge it). */
    record SentTestCall(long tenantId, int status, String answer, String taskId) {

        static SentTestCall of(TenantId tenant, TestCall.Result result) {
            return new SentTestCall(tenant.value(), result.status(), result.body(), result.taskId());
        }
    }

    public TenantPages(TenantService tenants, DestinationService destinations, DeliveryService deliveries, RejectionLog rejections,
                       EventService events, SessionService sessions, TestCall testCall, PageFlashes flashes, Pages pages,
                       Duration defaultRetention) {
        this.tenants = tenants;
        this.destinations = destinations;
        this.deliveries = deliveries;
        this.rejections = rejections;
        this.events = events;
        this.sessions = sessions;
        this.testCall = testCall;
        this.flashes = flashes;
        this.pages = pages;
        this.defaultRetention = defaultRetention;
    }

    @GET
    public Response list(@Context ContainerRequestContext request, @QueryParam("search") String search, @QueryParam("notice") String notice) {
        WebRequest web = Pages.web(request);
        if (web.actor().tenantId().isPresent()) {
            return Pages.redirect("/tenants/" + web.actor().tenantId().get());
        }
        return listPage(web, search, "", "", "", Notices.text(notice), 200);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response onboard(@Context ContainerRequestContext request, @FormParam("name") String name, @FormParam("key") String key) {
        WebRequest web = Pages.web(request);
        try {
            CreatedTenant created = tenants.create(web.actor(), name, Optional.ofNullable(key).filter(k -> !k.isBlank()));
            TenantId id = created.tenant().id();
            String shown = flashes.keep(web.actor(), new ShownKey(id.value(), created.key(), ""));
            return Pages.redirect("/tenants/" + id + "/onboarding?shown=" + shown);
        } catch (Problem.Invalid e) {
            // a refused KEY is cleared so that it is replaced rather than resubmitted; any other error keeps it
            return listPage(web, null, name, "key".equals(e.field()) ? "" : key, FormErrors.message(e), "", 400);
        }
    }

    /** The values to enter in AIRUDDER; the KEY only on the first load after onboarding (a reload finds it gone). */
    @GET
    @Path("/{id}/onboarding")
    public Response onboarding(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("shown") String shown) {
        WebRequest web = Pages.web(request);
        Tenant tenant = tenants.get(web.actor(), new TenantId(id));
        Map<String, Object> page = new HashMap<>();
        page.put("tenant", tenant);
        page.put("callbackUrl", tenants.callbackUrl(web.actor(), tenant));
        page.put("canManage", web.actor().canManage(tenant.id()));
        page.put("key", flashes.take(web.actor(), shown, ShownKey.class).filter(k -> k.tenantId() == id).map(ShownKey::key).orElse(null));
        return pages.render(web, "onboarding", "tenants", page);
    }

    @GET
    @Path("/{id}")
    public Response tenant(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("notice") String notice,
                           @QueryParam("shown") String shown, @QueryParam("refused") String refused) {
        WebRequest web = Pages.web(request);
        Map<String, String> extra = new HashMap<>(Map.of("notice", Notices.text(notice)));
        PasswordRefusals.take(flashes, web.actor(), refused, "/tenants/" + id).ifPresent(message -> extra.put("keyError", message));
        flashes.take(web.actor(), shown, ShownKey.class).filter(k -> k.tenantId() == id).ifPresent(k -> {
            extra.put("revealedKey", k.key());
            extra.put("notice", k.notice());
        });
        return tenantPage(web, new TenantId(id), extra);
    }

    @POST
    @Path("/{id}/key/reveal")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revealKey(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("password") String password) {
        WebRequest web = Pages.web(request);
        TenantId tenant = new TenantId(id);
        web.actor().requireManage(tenant);
        PasswordConfirmation confirmation = sessions.confirmPassword(web.actor(), password, "reveal the KEY of tenant " + tenant,
            Optional.of(tenant));
        if (!confirmation.confirmed()) {
            return PasswordRefusals.redirect(flashes, web.actor(), "/tenants/" + id, confirmation, "the KEY stays hidden");
        }
        return showKey(web, tenant, tenants.revealKey(web.actor(), tenant), "");
    }

    @POST
    @Path("/{id}/key/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateKey(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("graceHours") String graceHours) {
        WebRequest web = Pages.web(request);
        TenantId tenant = new TenantId(id);
        Optional<Double> hours;
        try {
            hours = FormValues.hours("graceHours", graceHours);
        } catch (Problem.Invalid e) {
            return tenantPage(web, tenant, Map.of("rotateError", "The grace period must be a number of hours."));
        }
        try {
            RotatedKey rotated = tenants.rotateKey(web.actor(), tenant, hours, Optional.empty());
            return showKey(web, tenant, rotated.key(), rotated.previousKeyStillVerifies()
                ? "New KEY created. Enter it in AIRUDDER before " + UtcInstants.of(rotated.previousKeyValidUntil()) + ", when the old KEY stops working."
                : "New KEY created. The old KEY stopped working at once: enter the new one in AIRUDDER now, as notifications signed with the old one are refused.");
        } catch (Problem.Invalid e) {
            return tenantPage(web, tenant, Map.of("rotateError", FormErrors.message(e)));
        }
    }

    @POST
    @Path("/{id}/token/rotate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotateToken(@Context ContainerRequestContext request, @PathParam("id") long id) {
        tenants.rotateCallbackToken(Pages.web(request).actor(), new TenantId(id));
        return Pages.redirect("/tenants/" + id + "?notice=token-rotated");
    }

    @POST
    @Path("/{id}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("status") String status) {
        tenants.update(Pages.web(request).actor(), new TenantId(id), new TenantChanges(Optional.empty(),
            Optional.of(TenantStatus.fromWireName(status)), Optional.empty()));
        return Pages.redirect("/tenants/" + id + "?notice=status-changed");
    }

    /** A tenant admin's form has the checkbox only; a platform admin's also the name and the retention. */
    @POST
    @Path("/{id}/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("name") String name,
                             @FormParam("retentionDays") String retentionDays, @FormParam("acceptUnsigned") String acceptUnsigned) {
        WebRequest web = Pages.web(request);
        TenantId tenant = new TenantId(id);
        web.actor().requireManage(tenant); // a refusal, whatever the form holds
        try {
            tenants.update(web.actor(), tenant, new TenantChanges(Optional.ofNullable(name), Optional.empty(),
                Optional.of("on".equals(acceptUnsigned)), retentionDays == null ? Optional.empty()
                    : Optional.of(FormValues.present(retentionDays).map(TenantPages::days).orElse(0))));
        } catch (Problem.Invalid e) {
            Map<String, String> form = new HashMap<>(Map.of("settingsError", FormErrors.message(e)));
            form.put("formName", name == null ? "" : name);
            form.put("formRetentionDays", retentionDays == null ? "" : retentionDays);
            return tenantPage(web, tenant, form, 400);
        }
        return Pages.redirect("/tenants/" + id + "?notice=settings-saved");
    }

    @POST
    @Path("/{id}/test-call")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendTestCall(@Context ContainerRequestContext request, @PathParam("id") long id) {
        WebRequest web = Pages.web(request);
        Tenant tenant = tenants.get(web.actor(), new TenantId(id));
        return Pages.redirect(testCallPath(web, SentTestCall.of(tenant.id(), testCall.send(web.actor(), tenant))));
    }

    @GET
    @Path("/{id}/test-call")
    public Response testCallProgress(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("shown") String shown) {
        WebRequest web = Pages.web(request);
        Tenant tenant = tenants.get(web.actor(), new TenantId(id));
        Map<String, Object> page = new HashMap<>();
        page.put("tenant", tenant);
        Optional<SentTestCall> sent = flashes.read(web.actor(), shown, SentTestCall.class).filter(t -> t.tenantId() == id);
        if (sent.isEmpty()) {
            return pages.render(web, "test-call", "tenants", page);
        }
        SentTestCall call = sent.get();
        int status = call.status();
        KeysetPage<EventSummary, EventId> found = events.search(web.actor(), new EventQuery(Optional.of(tenant.id()), Optional.ofNullable(call.taskId()),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, Optional.empty()));
        page.put("taskId", call.taskId());
        page.put("status", status);
        page.put("answer", call.answer() == null ? "" : call.answer());
        page.put("event", found.items().isEmpty() ? null : found.items().get(0));
        List<DeliveryService.Tracked> tracked = found.items().isEmpty() ? List.of() : deliveries.ofEvent(web.actor(), found.items().get(0).id());
        page.put("deliveries", tracked);
        List<Destination> tenantDestinations = destinations.list(web.actor(), tenant.id());
        page.put("destinationCount", tenantDestinations.stream().filter(d -> d.enabled()).count());
        page.put("destinationNames", destinations.namesOf(web.actor(), tracked.stream().map(t -> t.delivery().destinationId()).toList()));
        // Retries can go on for hours: the page follows each delivery to its first outcome, then leaves the rest
        // to the destination's page.
        boolean settled = status != 200 || tracked.stream().noneMatch(t -> t.delivery().status().wireName().equals("pending")
            && t.delivery().attempts() == 0);
        page.put("retrying", tracked.stream().anyMatch(t -> t.delivery().status().wireName().equals("pending") && t.delivery().attempts() > 0));
        if (!settled) {
            flashes.prolong(web.actor(), shown); // for as long as the page follows it
            page.put("refresh", "1; url=/tenants/" + id + "/test-call?shown=" + shown);
        }
        return pages.render(web, "test-call", "tenants", page);
    }

    /** Beyond an int, still out of range: the service's own check then names the range. */
    private static int days(String value) {
        return (int) Math.max(-1, Math.min(FormValues.number("retentionDays", value), Integer.MAX_VALUE));
    }

    /** Post/redirect/get for a form whose result is a KEY: the tenant page shows it once, a reload neither shows nor redoes it. */
    private Response showKey(WebRequest web, TenantId tenant, String key, String notice) {
        return Pages.redirect("/tenants/" + tenant + "?shown=" + flashes.keep(web.actor(), new ShownKey(tenant.value(), key, notice)));
    }

    private String testCallPath(WebRequest web, SentTestCall call) {
        return "/tenants/" + call.tenantId() + "/test-call?shown=" + flashes.keep(web.actor(), call);
    }

    private Response listPage(WebRequest web, String search, String name, String key, String error, String notice, int status) {
        Map<String, Object> page = new HashMap<>();
        page.put("notice", notice);
        page.put("tenants", tenants.list(web.actor(), Optional.ofNullable(search)));
        page.put("search", search == null ? "" : search);
        page.put("name", name == null ? "" : name);
        page.put("key", key == null ? "" : key);
        page.put("error", error);
        page.put("canOnboard", web.actor().isPlatformAdmin());
        return pages.html(status, "tenants", web.model("tenants", page));
    }

    private Response tenantPage(WebRequest web, TenantId id, Map<String, String> extra) {
        return tenantPage(web, id, extra, 200);
    }

    private Response tenantPage(WebRequest web, TenantId id, Map<String, String> extra, int status) {
        Tenant tenant = tenants.get(web.actor(), id);
        Map<String, Object> page = new HashMap<>(extra);
        page.putIfAbsent("notice", "");
        page.put("tenant", tenant);
        page.putIfAbsent("formName", tenant.name());
        page.putIfAbsent("formRetentionDays", tenant.retentionDays() == null ? "" : String.valueOf(tenant.retentionDays()));
        page.put("defaultRetentionDays", defaultRetention.toDays());
        page.put("callbackUrl", tenants.callbackUrl(web.actor(), tenant));
        page.put("previousKeyValidUntil", tenants.previousKeyValidUntil(id).orElse(null));
        boolean manages = web.actor().canManage(id);
        page.put("canManage", manages);
        page.put("isPlatformAdmin", web.actor().isPlatformAdmin());
        page.put("destinations", destinations.list(web.actor(), id).stream()
            .map(d -> Map.of("destination", d, "url", DestinationMasks.url(d.url(), manages),
                "circuit", deliveries.circuitState(d.id()), "kinds", d.kinds().isEmpty() ? "all"
                : d.kinds().stream().map(EventKind::wireName).sorted().collect(Collectors.joining(", "))))
            .toList());
        page.put("rejections", rejections.search(web.actor(), new RejectionQuery(Optional.of(id), Optional.empty(), Optional.empty(),
                Optional.empty(), 20)).items());
        return pages.html(status, "tenant", web.model("tenants", page));
    }
}
