package io.hookgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgate.audit.AuditEntry;
import io.hookgate.audit.AuditLog;
import io.hookgate.audit.AuditQuery;
import io.hookgate.auth.Role;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import io.hookgate.tenant.TenantService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The audit log: who did what, when, newest first, 50 a page (keyset on id: {@code ?before=}), filtered by action
 * prefix, actor, tenant and a UTC time range. Platform admins and support see every entry, a tenant admin only its
 * tenant's. The stored detail is shown as escaped text; the changes an update lists ({@code "changes": [{"field", "from",
 * "to"} or {"field", "change"}]}) as one line each, {@code url: https://old → https://new}.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
public final class AuditPage {

    /** Suggestions for the action filter, which matches any prefix. */
    static final List<String> ACTIONS = List.of("tenant.", "tenant.create", "tenant.update", "tenant.key.", "tenant.key.rotate",
        "tenant.key.reveal", "tenant.token.rotate", "tenant.test_call", "user.", "user.create", "user.update", "user.unlock", "login",
        "login.failed", "login.locked", "password.confirm.failed", "logout", "token.", "destination.", "destination.secret.reveal", "delivery.retry",
        "event.redeliver", "deadletter.replay");

    private final AuditLog audit;
    private final TenantService tenants;
    private final Pages pages;

    public AuditPage(AuditLog audit, TenantService tenants, Pages pages) {
        this.audit = audit;
        this.tenants = tenants;
        this.pages = pages;
    }

    @GET
    public Response audit(@Context ContainerRequestContext request, @QueryParam("action") String action, @QueryParam("actor") String actor,
                          @QueryParam("tenant") String tenant, @QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("before") String before) {
        WebRequest web = Pages.web(request);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("action", FormValues.text(action));
        filters.put("actor", FormValues.text(actor));
        filters.put("tenant", FormValues.text(tenant));
        filters.put("from", FormValues.text(from));
        filters.put("to", FormValues.text(to));
        Map<String, Object> page = new HashMap<>(filters);
        page.put("actions", ACTIONS);
        boolean allTenants = web.actor().tenantId().isEmpty();
        page.put("chooseTenant", allTenants);
        page.put("tenants", allTenants ? tenants.list(web.actor(), Optional.empty()) : List.of());
        page.put("filtered", filters.values().stream().anyMatch(v -> !v.isEmpty()));
        page.put("paged", before != null && !before.isBlank());
        try {
            AuditQuery query = new AuditQuery(FormValues.present(action), FormValues.present(actor), FormValues.present(tenant).map(t -> new TenantId(FormValues.number("tenant", t))),
                FormValues.utc("from", from), FormValues.utc("to", to),
                FormValues.present(before).map(v -> FormValues.number("before", v)), AuditQuery.DEFAULT_LIMIT);
            var found = audit.search(web.actor(), query);
            boolean showUsers = web.actor().role() != Role.SUPPORT; // support has no users page
            page.put("rows", found.items().stream().map(e -> row(e, showUsers)).toList());
            page.put("next", found.next().map(id -> link(filters, id)).orElse(null));
            page.put("first", FormValues.present(before).isPresent() ? link(filters, null) : null);
            page.put("error", "");
            return pages.render(web, "audit", "audit", page);
        } catch (Problem.Invalid e) {
            page.put("rows", List.of());
            page.put("next", null);
            page.put("first", FormValues.present(before).isPresent() ? link(filters, null) : null);
            page.put("error", FormErrors.message(e));
            return pages.html(400, "audit", web.model("audit", page));
        }
    }

    private Map<String, Object> row(AuditEntry e, boolean showUsers) {
        JsonNode detail = audit.detail(e);
        List<String> lines = new ArrayList<>();
        detail.path("changes").forEach(c -> lines.add(c.path("field").asText() + ": "
            + (c.has("change") ? c.get("change").asText() : shown(c.get("from")) + " → " + shown(c.get("to")))));
        // the rest of the detail a line per field, "matched: 5", rather than one long line of JSON
        List<String> facts = new ArrayList<>();
        detail.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("changes")) {
                facts.add(field.getKey() + ": " + (field.getValue().isValueNode() ? text(field.getValue()) : field.getValue().toString()));
            }
        });
        return Map.of("entry", e, "tenant", e.tenantId().map(t -> e.tenantName().orElse("tenant " + t)).orElse(""),
            "who", e.actorEmail() == null ? "system" : e.actorEmail(), "changes", lines, "facts", facts,
            "link", targetLink(e.target(), showUsers));
    }

    /** The page of what an entry is about ("destination 12": /destinations/12); "" for targets without a page. */
    static String targetLink(String target, boolean showUsers) {
        int space = target == null ? -1 : target.lastIndexOf(' ');
        if (space < 0 || !target.substring(space + 1).chars().allMatch(Character::isDigit)) {
            return "";
        }
        String path = switch (target.substring(0, space)) {
            case "tenant" -> "/tenants/";
            case "destination" -> "/destinations/";
            case "event" -> "/events/";
            case "replay" -> "/replays/";
            case "user" -> showUsers ? "/users/" : null;
            default -> null;
        };
        return path == null ? "" : path + target.substring(space + 1);
    }

    private static String shown(JsonNode value) {
        return value == null || value.isNull() ? "none" : text(value);
    }

    /** A stored value as people write it: a whole number of hours is "24", not "24.0". */
    private static String text(JsonNode value) {
        if (value.isFloatingPointNumber()) {
            double number = value.asDouble();
            if (number == Math.rint(number) && Math.abs(number) < 1e15) {
                return Long.toString((long) number);
            }
        }
        return value.asText();
    }

    /** This page with the same filters, below {@code before} (or from the newest when null). */
    static String link(Map<String, String> filters, Long before) {
        Map<String, String> params = new LinkedHashMap<>(filters);
        if (before != null) {
            params.put("before", before.toString());
        }
        String query = params.entrySet().stream().filter(e -> !e.getValue().isEmpty())
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return query.isEmpty() ? "/audit" : "/audit?" + query;
    }

}
