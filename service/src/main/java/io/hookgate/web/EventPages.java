package io.hookgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.auth.Role;
import io.hookgate.delivery.Delivery;
import io.hookgate.delivery.DeliveryId;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DestinationService;
import io.hookgate.event.EventId;
import io.hookgate.event.CallCriteria;
import io.hookgate.event.CallRef;
import io.hookgate.event.EventDao;
import io.hookgate.event.EventKind;
import io.hookgate.event.EventQuery;
import io.hookgate.event.EventService;
import io.hookgate.event.EventSummary;
import io.hookgate.event.StoredEvent;
import io.hookgate.replay.DeadLetter;
import io.hookgate.replay.ReplayService;
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
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Support's search across tenants, and an event in full: its calls, raw JSON, every delivery and attempt. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public final class EventPages {

    static final int PAGE = 50;
    /** Calls listed beside an event in the search results. */
    static final int CALLS_SHOWN = 3;

    private final EventService events;
    private final DeliveryService deliveries;
    private final ReplayService replays;
    private final DestinationService destinations;
    private final TenantService tenants;
    private final ObjectMapper json;
    private final Pages pages;

    public EventPages(EventService events, DeliveryService deliveries, DestinationService destinations, ReplayService replays,
                      TenantService tenants, ObjectMapper json, Pages pages) {
        this.events = events;
        this.deliveries = deliveries;
        this.replays = replays;
        this.destinations = destinations;
        this.tenants = tenants;
        this.json = json;
        this.pages = pages;
    }

    @GET
    @Path("events")
    public Response search(@Context ContainerRequestContext request, @QueryParam("tenant") String tenant, @QueryParam("taskId") String taskId,
                           @QueryParam("callId") String callId, @QueryParam("caseId") String caseId, @QueryParam("callee") String callee,
                           @QueryParam("kind") String kind, @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("cursor") String cursor) {
        WebRequest web = Pages.web(request);
        Map<String, Object> page = new HashMap<>();
        Map<String, String> criteria = new HashMap<>();
        criteria.put("tenant", FormValues.text(tenant));
        criteria.put("taskId", FormValues.text(taskId));
        criteria.put("callId", FormValues.text(callId));
        criteria.put("caseId", FormValues.text(caseId));
        criteria.put("callee", FormValues.text(callee));
        criteria.put("kind", FormValues.text(kind));
        criteria.put("from", FormValues.text(from));
        criteria.put("to", FormValues.text(to));
        page.put("criteria", criteria);
        List<Tenant> choices = tenants.list(web.actor(), Optional.empty());
        page.put("tenants", choices);
        page.put("kinds", DestinationForm.ALL_KINDS);
        Map<Long, String> tenantNames = choices.stream().collect(Collectors.toMap(t -> t.id().value(), Tenant::name));
        page.put("tenantNames", tenantNames);
        try {
            EventQuery query = new EventQuery(FormValues.present(tenant).map(t -> new TenantId(FormValues.number("tenant", t))), FormValues.present(taskId), FormValues.present(callId),
                FormValues.present(caseId), FormValues.present(callee), FormValues.present(kind).map(k -> EventKind.fromWireName(k).orElseThrow(() -> new Problem.Invalid("kind", "unknown kind"))),
                FormValues.utc("from", from), FormValues.utc("to", to), PAGE, KeysetPage.cursor(cursor).map(EventId::new));
            KeysetPage<EventSummary, EventId> found = events.search(web.actor(), query);
            page.put("results", found.items());
            page.put("tallies", deliveries.tallies(found.items()));
            // beside each event, the calls searched for (else its first): which of its calls support was looking for
            CallCriteria wanted = query.callCriteria();
            page.put("shownCalls", found.items().stream().collect(Collectors.toMap(EventSummary::id, e -> shownCalls(e, wanted))));
            page.put("callSearch", wanted.any());
            page.put("callsInSummary", EventDao.CALLS_IN_SUMMARY);
            page.put("eventLinks", found.items().stream().collect(Collectors.toMap(EventSummary::id, e -> eventLink(e.id(), wanted))));
            PageLink same = PageLink.to("/events").with("tenant", FormValues.text(tenant)).with("taskId", FormValues.text(taskId))
                .with("callId", FormValues.text(callId)).with("caseId", FormValues.text(caseId)).with("callee", FormValues.text(callee))
                .with("kind", FormValues.text(kind)).with("from", FormValues.text(from)).with("to", FormValues.text(to));
            page.put("first", FormValues.present(cursor).isPresent() ? same.toString() : null);
            page.put("next", found.next().map(n -> same.with("cursor", n.value()).toString()).orElse(null));
            page.put("error", "");
            return pages.render(web, "events", "events", page);
        } catch (Problem.Invalid e) {
            page.put("results", List.of());
            page.put("tallies", Map.of());
            page.put("shownCalls", Map.of());
            page.put("eventLinks", Map.of());
            page.put("callSearch", false);
            page.put("callsInSummary", EventDao.CALLS_IN_SUMMARY);
            page.put("next", null);
            page.put("first", null);
            page.put("error", FormErrors.message(e));
            return pages.html(400, "events", web.model("events", page));
        }
    }

    /**
     * Up to {@link #CALLS_SHOWN} of the event's calls that the search was for, among the first its summary holds (none
     * when it found a later one: the page says so), or its first call for a search by other fields.
     */
    private static List<CallRef> shownCalls(EventSummary event, CallCriteria wanted) {
        return wanted.any() ? event.calls().stream().filter(wanted::matches).limit(CALLS_SHOWN).toList()
            : event.calls().stream().limit(1).toList();
    }

    /** The event's page, told what was searched for, so that it points the calls out. */
    private static String eventLink(EventId id, CallCriteria wanted) {
        return PageLink.to("/events/" + id.value()).withPresent("callId", wanted.callId().orElse(null))
            .withPresent("caseId", wanted.caseId().orElse(null)).withPresent("callee", wanted.callee().orElse(null)).toString();
    }

    @GET
    @Path("events/{id}")
    public Response event(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("notice") String notice,
                          @QueryParam("callId") String callId, @QueryParam("caseId") String caseId, @QueryParam("callee") String callee) {
        WebRequest web = Pages.web(request);
        StoredEvent event = events.get(web.actor(), new EventId(id));
        Map<String, Object> page = new HashMap<>();
        page.put("notice", Notices.text(notice));
        page.put("event", event.summary());
        page.put("tenant", tenants.get(web.actor(), event.summary().tenantId()));
        page.put("headers", event.headers());
        JsonNode payload = parse(event.body());
        List<Map<String, String>> calls = calls(payload);
        CallCriteria wanted = new CallCriteria(FormValues.present(callId), FormValues.present(caseId), FormValues.present(callee));
        // the calls searched for, when the search led here: judged on the calls as stored (what the search read), one per
        // entry of Details, else on the entries as sent
        List<CallRef> stored = event.summary().calls();
        int matched = 0;
        for (int i = 0; i < calls.size(); i++) {
            Map<String, String> call = calls.get(i);
            CallRef searched = stored.size() == calls.size() ? stored.get(i) : new CallRef(call.get("CallID"), call.get("CaseID"),
                call.get("CalleeNumber"), Arrays.stream(call.get("Redials").split(", ")).filter(r -> !r.isEmpty()).toList());
            if (wanted.matches(searched)) {
                call.put("match", "true");
                matched++;
            }
        }
        page.put("calls", calls);
        page.put("callsMatched", matched);
        page.put("rawJson", pretty(payload, event.body()));
        List<DeliveryService.Tracked> tracked = deliveries.ofEvent(web.actor(), event.summary().id());
        page.put("deliveries", tracked);
        List<Destination> ofTenant = destinations.list(web.actor(), event.summary().tenantId());
        List<DestinationId> servedIds = tracked.stream().map(t -> t.delivery().destinationId()).toList();
        Set<Long> served = servedIds.stream().map(DestinationId::value).collect(Collectors.toSet());
        page.put("destinationNames", destinations.namesOf(web.actor(), servedIds));
        // a deleted destination is nowhere to redeliver to
        page.put("liveDestinations", ofTenant.stream().map(d -> d.id().value()).collect(Collectors.toSet()));
        // a waiting delivery goes out only when its destination's circuit lets it: say so, or "Retry now" seems to do nothing
        Map<Long, String> circuits = new HashMap<>();
        tracked.stream().filter(t -> t.delivery().status().wireName().equals("pending")).map(t -> t.delivery().destinationId())
            .distinct().forEach(d -> circuits.put(d.value(), deliveries.circuitState(d)));
        page.put("circuits", circuits);
        // nor while its destination is disabled: it waits, untouched, until it is enabled again
        page.put("disabledDestinations", ofTenant.stream().filter(d -> !d.settings().enabled()).map(d -> d.id().value())
            .collect(Collectors.toSet()));
        // a dead delivery's dead letter: waiting, or replayed (when, by whom, as which delivery)
        Map<Long, DeadLetter> deadLetters = new HashMap<>();
        replays.ofEvent(web.actor(), event.summary().tenantId(), event.summary().id())
            .forEach(letter -> deadLetters.put(letter.deliveryId().value(), letter));
        page.put("deadLetters", deadLetters);
        page.put("openableReplays", tracked.stream().map(t -> t.delivery().replayId()).filter(Objects::nonNull).distinct()
            .filter(replay -> replays.visible(web.actor(), replay)).collect(Collectors.toSet()));
        // what became of a replay: its delivery's status, beside the dead one it replaced
        page.put("statuses", tracked.stream().collect(Collectors.toMap(t -> t.delivery().id().value(),
            t -> t.delivery().status().wireName())));
        // destinations this event has no delivery to (added later, or its kinds or filter did not match): it can be sent there
        page.put("otherDestinations", ofTenant.stream().filter(d -> d.settings().enabled() && !served.contains(d.id().value())).toList());
        boolean canSteer = web.actor().canManage(event.summary().tenantId()) || web.actor().role() == Role.SUPPORT;
        page.put("canSteer", canSteer);
        return pages.render(web, "event", "events", page);
    }

    /** Replays the event's dead letter from its page: support arrives here by the TaskID, and stays here. */
    @POST
    @Path("events/{id}/dead-letters/{letter}/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replayDeadLetter(@Context ContainerRequestContext request, @PathParam("id") long id, @PathParam("letter") long letter) {
        WebRequest web = Pages.web(request);
        DeadLetter replayed = replays.replay(web.actor(), letter);
        return Pages.redirect("/events/" + replayed.eventId() + "?notice=replayed");
    }

    @POST
    @Path("events/{id}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeliver(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("destinationId") String destinationId) {
        WebRequest web = Pages.web(request);
        List<Delivery> queued = deliveries.redeliver(web.actor(), new EventId(id),
            FormValues.present(destinationId).map(d -> new DestinationId(FormValues.number("destinationId", d))));
        boolean held = queued.stream().anyMatch(d -> !destinations.get(web.actor(), d.destinationId()).enabled());
        return Pages.redirect("/events/" + id + "?notice=" + (held ? "redelivery-queued-destination-disabled" : "redelivery-queued"));
    }

    @POST
    @Path("deliveries/{id}/retry")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retry(@Context ContainerRequestContext request, @PathParam("id") long id) {
        Delivery delivery = deliveries.retryNow(Pages.web(request).actor(), new DeliveryId(id));
        boolean held = !"closed".equals(deliveries.circuitState(delivery.destinationId()));
        return Pages.redirect("/events/" + delivery.eventId() + "?notice=" + (held ? "retry-queued-circuit-open" : "retry-queued"));
    }


    /** The calls of Details as support reads them; fields AIRUDDER left out show empty. */
    static List<Map<String, String>> calls(JsonNode payload) {
        List<Map<String, String>> calls = new ArrayList<>();
        JsonNode details = payload == null ? null : payload.get("Details");
        if (details == null || !details.isArray()) {
            return calls;
        }
        Function<JsonNode, Function<String, String>> field = call -> name -> call.hasNonNull(name) && !call.get(name).isContainerNode()
            ? call.get(name).asText() : "";
        for (JsonNode call : details) {
            Function<String, String> f = field.apply(call);
            Map<String, String> row = new HashMap<>();
            for (String name : List.of("CallID", "CaseID", "CalleeName", "CalleeNumber", "Status", "Intention", "CallStartTime",
                "CallEndTime", "RingType", "HangupType", "CallTimes")) {
                row.put(name, f.apply(name));
            }
            List<String> redials = new ArrayList<>();
            call.path("RedailCall").forEach(redial -> redials.add(field.apply(redial).apply("CallID")));
            row.put("Redials", String.join(", ", redials.stream().filter(id -> !id.isEmpty()).toList()));
            calls.add(row);
        }
        return calls;
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private String pretty(JsonNode payload, byte[] body) {
        try {
            return payload == null ? new String(body, StandardCharsets.UTF_8) : json.writerWithDefaultPrettyPrinter().writeValueAsString(payload);
        } catch (IOException e) {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

}
