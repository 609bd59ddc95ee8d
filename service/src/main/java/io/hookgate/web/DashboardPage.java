package io.hookgate.web;

import io.hookgate.overview.Overview;
import io.hookgate.overview.OverviewService;
import io.hookgate.retention.RetentionPass;
import io.hookgate.retention.RetentionPassView;
import io.hookgate.retention.RetentionPurger;
import io.hookgate.tenant.Tenant;
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

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard: the last 24 hours as a server-rendered SVG chart, the backlog, dead letters, open circuits; for
 * platform admins and support also the retention purge's latest pass.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public final class DashboardPage {

    static final int CHART_HEIGHT = 120;
    static final int SLOT = 36;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneOffset.UTC);

    /** One hour's bars, positioned for the SVG. */
    public record Bar(int x, int eventsY, int eventsHeight, int okY, int okHeight, int failY, int failHeight, String label,
                      String title, boolean labelled) {
    }

    private final OverviewService overview;
    private final TenantService tenants;
    private final RetentionPurger retention;
    private final Pages pages;

    public DashboardPage(OverviewService overview, TenantService tenants, RetentionPurger retention, Pages pages) {
        this.overview = overview;
        this.tenants = tenants;
        this.retention = retention;
        this.pages = pages;
    }

    @GET
    public Response dashboard(@Context ContainerRequestContext request, @QueryParam("tenant") Long tenant) {
        WebRequest web = Pages.web(request);
        Optional<TenantId> scope = Optional.ofNullable(tenant).map(TenantId::new);
        Overview o = overview.of(web.actor(), scope);
        List<Tenant> choices = tenants.list(web.actor(), Optional.empty());
        Map<String, Object> page = new HashMap<>();
        page.put("overview", o);
        page.put("bars", bars(o));
        page.put("chartWidth", SLOT * 24);
        page.put("chartHeight", CHART_HEIGHT + 20);
        page.put("tenants", choices);
        page.put("tenantNames", choices.stream().collect(Collectors.toMap(t -> t.id().value(), Tenant::name)));
        page.put("selectedTenant", scope.or(() -> web.actor().tenantId()).map(TenantId::value).orElse(null));
        page.put("oldestPending", o.oldestPendingAge().map(DashboardPage::spoken).orElse("none"));
        if (web.actor().seesAllTenants()) {
            Optional<RetentionPassView> last = retention.recentPasses(web.actor(), 1).stream().findFirst();
            page.put("retention", last.orElse(null));
            page.put("retentionTook", last.map(RetentionPassView::pass).map(RetentionPass::took).map(DashboardPage::spoken).orElse(""));
            page.put("retentionEvery", spoken(retention.interval()));
        }
        return pages.render(web, "dashboard", "dashboard", page);
    }

    /** A duration as people read it at a glance: 850 ms, 4.2 s, 12 min, 1 h 30 min. */
    static String spoken(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() < 10) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (d.toMinutes() < 1) {
            return d.toSeconds() + " s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min";
        }
        return d.toHours() + " h" + (d.toMinutesPart() == 0 ? "" : " " + d.toMinutesPart() + " min");
    }

    static List<Bar> bars(Overview o) {
        double max = Math.max(1, o.maxPerHour());
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < o.hours().size(); i++) {
            Overview.Hour h = o.hours().get(i);
            int events = (int) Math.round(h.events() / max * CHART_HEIGHT);
            int ok = (int) Math.round(h.succeeded() / max * CHART_HEIGHT);
            int failed = (int) Math.round(h.failed() / max * CHART_HEIGHT);
            int x = i * SLOT;
            bars.add(new Bar(x + 2, CHART_HEIGHT - events, events, CHART_HEIGHT - ok - failed, ok, CHART_HEIGHT - failed, failed,
                HOUR.format(h.start()), HOUR.format(h.start()) + " UTC: " + h.events() + " events, " + h.succeeded() + " delivered, "
                + h.failed() + " failed", i % 3 == 0));
        }
        return bars;
    }
}
