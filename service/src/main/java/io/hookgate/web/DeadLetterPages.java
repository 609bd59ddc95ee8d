package io.hookgate.web;

import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DestinationService;
import io.hookgate.replay.DeadLetter;
import io.hookgate.replay.DeadLetterFilter;
import io.hookgate.replay.PendingReplayDeliveries;
import io.hookgate.replay.Replay;
import io.hookgate.replay.ReplayService;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.Tenant;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import jakarta.ws.rs.Consumes;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Dead letters: filter, select one or all matching, confirm with the count, replay, follow a bulk replay. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public final class DeadLetterPages {

    static final int PAGE = 100;

    private final ReplayService replays;
    private final TenantService tenants;
    private final DestinationService destinations;
    private final Pages pages;

    public DeadLetterPages(ReplayService replays, TenantService tenants, DestinationService destinations, Pages pages) {
        this.replays = replays;
        this.tenants = tenants;
        this.destinations = destinations;
        this.pages = pages;
    }

    @GET
    @Path("dead-letters")
    public Response list(@Context ContainerRequestContext request, @QueryParam("tenant") String tenant, @QueryParam("destination") String destination,
                         @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("lastStatus") String lastStatus,
                         @QueryParam("taskId") String taskId,
                         @QueryParam("replayed") String replayed, @QueryParam("notice") String notice, @QueryParam("cursor") String cursor) {
        WebRequest web = Pages.web(request);
        Map<String, String> criteria = criteria(tenant, destination, from, to, lastStatus, taskId);
        boolean includeReplayed = "on".equals(replayed);
        Map<String, Object> page = new HashMap<>();
        page.put("criteria", criteria);
        page.put("includeReplayed", includeReplayed);
        page.put("notice", Notices.text(notice));
        List<Tenant> choices = tenants.list(web.actor(), Optional.empty());
        page.put("tenants", choices);
        page.put("tenantNames", choices.stream().collect(Collectors.toMap(t -> t.id().value(), Tenant::name)));
        page.put("destinations", List.of());
        page.put("destinationNames", Map.of());
        try {
            DeadLetterFilter filter = filter(criteria);
            KeysetPage<DeadLetter, Long> letters = replays.list(web.actor(), filter, !includeReplayed,
                KeysetPage.cursor(cursor), PAGE);
            List<DeadLetter> found = letters.items();
            // the destination filter offers the chosen tenant's destinations by name; rows name theirs
            Optional<TenantId> scope = filter.tenantId().or(() -> web.actor().tenantId())
                .or(() -> filter.destinationId().map(d -> destinations.tenantOf(web.actor(), d)));
            page.put("destinations", scope.map(t -> destinations.list(web.actor(), t)).orElse(List.of()));
            page.put("destinationNames", destinations.namesOf(web.actor(), found.stream().map(DeadLetter::destinationId).toList()));
            page.put("letters", found);
            page.put("anySelectable", found.stream().anyMatch(DeadLetter::waiting));
            page.put("matching", replays.countWaiting(web.actor(), filter));
            PageLink same = includeReplayed ? listPath(criteria).with("replayed", "on") : listPath(criteria);
            page.put("first", FormValues.present(cursor).isPresent() ? same.toString() : null);
            page.put("next", letters.next().map(n -> same.with("cursor", n).toString()).orElse(null));
            page.put("error", "");
            return pages.render(web, "dead-letters", "dead-letters", page);
        } catch (Problem.Invalid e) {
            page.put("letters", List.of());
            page.put("matching", 0L);
            page.put("first", null);
            page.put("next", null);
            page.put("error", FormErrors.message(e));
            return pages.html(400, "dead-letters", web.model("dead-letters", page));
        }
    }

    /** Step 1 of a replay: states exactly what will be replayed and how many, and asks to confirm. */
    @POST
    @Path("dead-letters/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirm(@Context ContainerRequestContext request, MultivaluedMap<String, String> form) {
        WebRequest web = Pages.web(request);
        Map<String, Object> page = new HashMap<>();
        boolean all = "all".equals(form.getFirst("scope"));
        Map<String, String> criteria = criteria(form.getFirst("tenant"), form.getFirst("destination"), form.getFirst("from"),
            form.getFirst("to"), form.getFirst("lastStatus"), form.getFirst("taskId"));
        page.put("criteria", criteria);
        page.put("all", all);
        page.put("filterLines", describe(new Names(web), filter(criteria)));
        page.put("back", listPath(criteria).toString());
        List<String> ids = Optional.ofNullable(form.get("ids")).orElse(List.of());
        page.put("ids", ids);
        page.put("count", all ? replays.countWaiting(web.actor(), filter(criteria)) : ids.size());
        if (!all && ids.isEmpty()) {
            return Pages.redirect(listPath(criteria).with("notice", "none-selected").toString());
        }
        if (all && (long) page.get("count") == 0) {
            return Pages.redirect(listPath(criteria).with("notice", "nothing-to-replay").toString());
        }
        // a replay to a disabled destination waits, paused, for it to be enabled: better known before than found after
        page.put("disabledDestination", filter(criteria).destinationId().map(id -> destinations.get(web.actor(), id))
            .filter(d -> !d.enabled()).map(Destination::name).orElse(null));
        return pages.render(web, "replay-confirm", "dead-letters", page);
    }

    /** Step 2: one by one for a selection, as a background bulk replay for "all matching". */
    @POST
    @Path("dead-letters/replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replay(@Context ContainerRequestContext request, MultivaluedMap<String, String> form) {
        WebRequest web = Pages.web(request);
        Map<String, String> criteria = criteria(form.getFirst("tenant"), form.getFirst("destination"), form.getFirst("from"),
            form.getFirst("to"), form.getFirst("lastStatus"), form.getFirst("taskId"));
        if ("all".equals(form.getFirst("scope"))) {
            ReplayService.Started started = replays.startBulk(web.actor(), filter(criteria));
            return Pages.redirect("/replays/" + started.replay().id() + (started.existing() ? "?notice=replay-already-running" : ""));
        }
        List<String> problems = new ArrayList<>();
        List<String> ids = Optional.ofNullable(form.get("ids")).orElse(List.of());
        for (String id : ids) {
            try {
                replays.replay(web.actor(), FormValues.number("ids", id));
            } catch (Problem.Conflict e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            Map<String, Object> page = new HashMap<>();
            page.put("problems", problems);
            page.put("selected", ids.size());
            page.put("replayed", ids.size() - problems.size());
            return pages.render(web, "replay-done", "dead-letters", page);
        }
        // the list as it was filtered
        return Pages.redirect(listPath(criteria).with("notice", ids.size() == 1 ? "replayed" : "replayed-selected").toString());
    }

    /** Bulk replays, newest first: the way back to one left running. */
    @GET
    @Path("replays")
    public Response recent(@Context ContainerRequestContext request, @QueryParam("tenant") String tenant, @QueryParam("cursor") String cursor) {
        WebRequest web = Pages.web(request);
        Optional<TenantId> of = FormValues.present(tenant).map(t -> new TenantId(FormValues.number("tenant", t)));
        KeysetPage<Replay, Long> found = replays.recent(web.actor(), of,
            KeysetPage.cursor(cursor), 25);
        Map<String, Object> page = new HashMap<>();
        page.put("tenant", of.map(t -> tenants.get(web.actor(), t)).orElse(null));
        page.put("replays", found.items());
        Names names = new Names(web); // a page of replays names each tenant and destination once
        page.put("filters", found.items().stream().collect(Collectors.toMap(Replay::id, r -> String.join(" · ", describe(names, r)))));
        page.put("percents", found.items().stream().collect(Collectors.toMap(Replay::id, DeadLetterPages::percent)));
        PageLink same = of.map(t -> PageLink.to("/replays").with("tenant", t.value())).orElse(PageLink.to("/replays"));
        page.put("first", FormValues.present(cursor).isPresent() ? same.toString() : null);
        page.put("next", found.next().map(n -> same.with("cursor", n).toString()).orElse(null));
        return pages.render(web, "replays", "dead-letters", page);
    }

    /** How much of a replay has settled: delivered, failed again, or cancelled with its destination. */
    private static int percent(Replay replay) {
        int settled = replay.delivered() + replay.failed() + replay.cancelled();
        return replay.matched() == 0 ? 100 : Math.min(100, settled * 100 / replay.matched());
    }

    @GET
    @Path("replays/{id}")
    public Response progress(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("notice") String notice) {
        WebRequest web = Pages.web(request);
        Replay replay = replays.progress(web.actor(), id);
        Map<String, Object> page = new HashMap<>();
        page.put("notice", Notices.text(notice));
        page.put("replay", replay);
        // once all are queued, those matched but not queued had gone meanwhile (replayed by another hand, delivered)
        boolean allQueued = replay.state().equals("delivering") || replay.state().equals("completed");
        page.put("notQueued", allQueued ? Math.max(0, replay.matched() - replay.queued()) : 0);
        page.put("percent", percent(replay));
        List<PendingReplayDeliveries> pending = replays.pending(replay);
        page.put("pending", pending);
        page.put("circuitHolds", pending.stream().anyMatch(p -> !"closed".equals(p.circuit())));
        page.put("disabledHolds", pending.stream().anyMatch(p -> !p.enabled()));
        Names names = new Names(web);
        page.put("filterLines", describe(names, replay));
        DeadLetterFilter f = replay.filter();
        boolean missing = replay.source() == Replay.Source.MISSING;
        if (!missing) {
            page.put("back", listPath(criteria(f)).toString());
            page.put("backLabel", "Dead letters of this filter");
        } else if (!destinations.hasPage(web.actor(), f.destinationId().orElseThrow())) { // deleted since
            page.put("back", "/tenants/" + f.tenantId().orElseThrow());
            page.put("backLabel", "Back to the tenant");
        } else {
            page.put("back", "/destinations/" + f.destinationId().orElseThrow());
            page.put("backLabel", "Back to the destination");
        }
        // where its deliveries that died again are: of a replay of missed events, its destination's (not by its times received)
        page.put("deadLetters", (missing ? listPath(criteria(new DeadLetterFilter(f.tenantId(), f.destinationId(), Optional.empty(),
            Optional.empty()))) : listPath(criteria(f))).toString());
        if (!replay.state().equals("completed") && !replay.state().equals("failed")) {
            page.put("refresh", "2");
        }
        return pages.render(web, "replay", "dead-letters", page);
    }

    /** Step 1 of sending a destination the events it missed: how many, received when, and a confirmation. */
    @GET
    @Path("destinations/{id}/replay-missing")
    public Response confirmMissing(@Context ContainerRequestContext request, @PathParam("id") long id, @QueryParam("since") String since,
                                   @QueryParam("until") String until) {
        WebRequest web = Pages.web(request);
        DestinationId destination = new DestinationId(id);
        Map<String, Object> page = new HashMap<>();
        page.put("destinationId", id);
        page.put("destinationName", destinations.nameOf(web.actor(), destination));
        page.put("since", Optional.ofNullable(since).orElse(""));
        page.put("until", Optional.ofNullable(until).orElse(""));
        try {
            ReplayService.MissedCount missed = replays.countMissing(web.actor(), destination, FormValues.utc("since", since),
                FormValues.utc("until", until));
            page.put("count", missed.count());
            page.put("until", FormValues.utcText(missed.until())); // "until now" fixed here, so the replay sends what was counted
            page.put("range", received(missed.since(), missed.until()));
            page.put("running", missed.running().orElse(null));
            return pages.render(web, "replay-missing-confirm", "dead-letters", page);
        } catch (Problem.Invalid e) {
            page.put("error", FormErrors.message(e));
            return pages.html(400, "replay-missing-confirm", web.model("dead-letters", page));
        }
    }

    /** Step 2: the replay, in the background; its page follows it. */
    @POST
    @Path("destinations/{id}/replay-missing")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response replayMissing(@Context ContainerRequestContext request, @PathParam("id") long id, MultivaluedMap<String, String> form) {
        WebRequest web = Pages.web(request);
        Replay replay = replays.startMissing(web.actor(), new DestinationId(id), FormValues.utc("since", form.getFirst("since")),
            FormValues.utc("until", form.getFirst("until")));
        return Pages.redirect("/replays/" + replay.id());
    }

    private static String received(Instant from, Instant to) {
        return "Received from " + UtcInstants.of(from) + " before " + UtcInstants.of(to);
    }

    /** The list with these filters, as the person left it. */
    private static PageLink listPath(Map<String, String> criteria) {
        PageLink path = PageLink.to("/dead-letters");
        for (Map.Entry<String, String> criterion : criteria.entrySet()) {
            path = path.withPresent(criterion.getKey(), criterion.getValue());
        }
        return path;
    }

    /** What a replay sends, in words. */
    private static List<String> describe(Names names, Replay replay) {
        if (replay.source() == Replay.Source.DEAD_LETTERS) {
            return describe(names, replay.filter());
        }
        DeadLetterFilter f = replay.filter();
        return List.of("Tenant: " + names.tenant(f.tenantId().orElseThrow()),
            "Events destination " + names.destination(f.destinationId().orElseThrow()) + " never got",
            received(f.from().orElseThrow(), f.to().orElseThrow()));
    }

    /** The filter of a bulk replay in words, so that the confirmation says what "all matching" covers. */
    private static List<String> describe(Names names, DeadLetterFilter filter) {
        List<String> lines = new ArrayList<>();
        Optional<TenantId> tenant = filter.tenantId().or(() -> names.web.actor().tenantId());
        lines.add("Tenant: " + tenant.map(names::tenant).orElse("every tenant"));
        lines.add("Destination: " + filter.destinationId().map(names::destination).orElse("every destination"));
        if (filter.from().isPresent() || filter.to().isPresent()) {
            lines.add("Died " + filter.from().map(f -> "from " + UtcInstants.of(f)).orElse("") + (filter.from().isPresent() && filter.to().isPresent() ? " " : "")
                + filter.to().map(t -> "before " + UtcInstants.of(t)).orElse(""));
        }
        filter.lastStatus().ifPresent(status -> lines.add("Last status: " + (Character.isDigit(status.charAt(0)) ? "HTTP " : "") + status));
        filter.taskId().ifPresent(task -> lines.add("TaskID: " + task));
        return lines;
    }

    /** Tenants' and destinations' names as one request's filters name them, each read once. */
    private final class Names {
        private final WebRequest web;
        private final Map<TenantId, String> tenantNames = new HashMap<>();
        private final Map<DestinationId, String> destinationNames = new HashMap<>();

        Names(WebRequest web) {
            this.web = web;
        }

        String tenant(TenantId id) {
            return tenantNames.computeIfAbsent(id, t -> tenants.get(web.actor(), t).name());
        }

        String destination(DestinationId id) {
            return destinationNames.computeIfAbsent(id, d -> destinations.nameOf(web.actor(), d));
        }
    }

    /** The form fields of a filter, as the list page takes them. */
    private static Map<String, String> criteria(DeadLetterFilter f) {
        return criteria(f.tenantId().map(TenantId::toString).orElse(null), f.destinationId().map(DestinationId::toString).orElse(null),
            f.from().map(FormValues::utcText).orElse(null), f.to().map(FormValues::utcText).orElse(null), f.lastStatus().orElse(null),
            f.taskId().orElse(null));
    }

    private static Map<String, String> criteria(String tenant, String destination, String from, String to, String lastStatus,
                                                String taskId) {
        Map<String, String> criteria = new LinkedHashMap<>(); // the form's order, in the URLs made of it
        criteria.put("tenant", FormValues.text(tenant));
        criteria.put("destination", FormValues.text(destination));
        criteria.put("from", FormValues.text(from));
        criteria.put("to", FormValues.text(to));
        criteria.put("lastStatus", FormValues.text(lastStatus));
        criteria.put("taskId", FormValues.text(taskId));
        return criteria;
    }

    private static DeadLetterFilter filter(Map<String, String> c) {
        return new DeadLetterFilter(FormValues.present(c.get("tenant")).map(t -> new TenantId(FormValues.number("tenant", t))),
            FormValues.present(c.get("destination")).map(d -> new DestinationId(FormValues.number("destination", d))),
            FormValues.utc("from", c.get("from")), FormValues.utc("to", c.get("to")), FormValues.present(c.get("lastStatus")),
            FormValues.present(c.get("taskId")));
    }
}
