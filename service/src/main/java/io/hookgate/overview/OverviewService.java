package io.hookgate.overview;

import io.hookgate.auth.Actor;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DeliveryService;
import io.hookgate.delivery.DestinationService;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's figures, for one tenant or (platform admins, support) for all. */
public final class OverviewService {

    private final Jdbi jdbi;
    private final DeliveryService deliveries;
    private final DestinationService destinations;
    private final Clock clock;
    private final SettledHours settled = new SettledHours();

    public OverviewService(Jdbi jdbi, DeliveryService deliveries, DestinationService destinations, Clock clock) {
        this.jdbi = jdbi;
        this.deliveries = deliveries;
        this.destinations = destinations;
        this.clock = clock;
    }

    public Overview of(Actor actor, Optional<TenantId> requested) {
        Optional<TenantId> tenant = requested.isPresent() ? requested : actor.tenantId();
        tenant.ifPresent(actor::requireRead);
        Long tenantId = tenant.map(TenantId::value).orElse(null);
        Instant now = clock.instant();
        Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS);
        return jdbi.withExtension(OverviewDao.class, dao -> {
            // each hour read once from those kept: the ones before the first not kept are not counted again
            List<Optional<Overview.Hour>> kept = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                kept.add(settled.find(tenantId, firstHour.plus(i, ChronoUnit.HOURS)));
            }
            Instant firstUncounted = firstHour.plus(kept.indexOf(Optional.<Overview.Hour>empty()), ChronoUnit.HOURS);
            Map<Instant, Long> events = dao.eventsPerHour(firstUncounted, tenantId);
            Map<Instant, Long> succeeded = dao.deliveriesPerHour(firstUncounted, "succeeded", tenantId);
            Map<Instant, Long> failed = dao.deliveriesPerHour(firstUncounted, "dead", tenantId);
            List<Overview.Hour> hours = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                Instant start = firstHour.plus(i, ChronoUnit.HOURS);
                Overview.Hour hour = kept.get(i).orElseGet(() -> new Overview.Hour(start, events.getOrDefault(start, 0L),
                    succeeded.getOrDefault(start, 0L), failed.getOrDefault(start, 0L)));
                if (kept.get(i).isEmpty()) {
                    settled.offer(tenantId, hour, now);
                }
                hours.add(hour);
            }
            List<Overview.OpenCircuit> open = new ArrayList<>();
            for (Long id : dao.destinationIds(tenantId)) {
                String state = deliveries.circuitState(new DestinationId(id));
                if (!state.equals("closed")) {
                    Destination d = destinations.get(actor, new DestinationId(id));
                    if (d.enabled()) { // a paused destination's circuit holds nothing back
                        open.add(new Overview.OpenCircuit(id, d.tenantId().value(), d.name(), state));
                    }
                }
            }
            OverviewDao.Backlog backlog = dao.backlog(tenantId);
            return new Overview(hours, hours.stream().mapToLong(Overview.Hour::events).sum(),
                hours.stream().mapToLong(Overview.Hour::succeeded).sum(), hours.stream().mapToLong(Overview.Hour::failed).sum(),
                backlog.total(), backlog.paused(), dao.oldestPending(tenantId).map(t -> Duration.between(t, now)), dao.deadLettersWaiting(tenantId), open);
        });
    }
}
