package io.hookgate.delivery;

import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.auth.Role;
import io.hookgate.event.EventDao;
import io.hookgate.event.EventId;
import io.hookgate.event.EventSummary;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Deliveries as people see and steer them: lists with every attempt, "retry now", "redeliver". */
public final class DeliveryService {

    private final Jdbi jdbi;
    private final DestinationService destinations;
    private final DestinationGuards guards;
    private final DeliveryWorker worker;
    private final AuditLog audit;
    private final Clock clock;

    DeliveryService(Jdbi jdbi, DestinationService destinations, DestinationGuards guards, DeliveryWorker worker, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.destinations = destinations;
        this.guards = guards;
        this.worker = worker;
        this.audit = audit;
        this.clock = clock;
    }

    /** A delivery with its attempts, oldest first. */
    public record Tracked(Delivery delivery, List<Attempt> attempts) {
    }

    public List<Tracked> ofEvent(Actor actor, EventId eventId) {
        EventSummary event = event(actor, eventId);
        return jdbi.withExtension(DeliveryDao.class, dao -> withAttempts(dao, dao.ofEvent(event.tenantId(), eventId)));
    }

    /** A destination's deliveries, newest first, below the delivery id {@code before}. */
    public KeysetPage<Tracked, Long> ofDestination(Actor actor, DestinationId id, Optional<DeliveryStatus> status, Optional<Long> before,
                                                   int limit) {
        destinations.get(actor, id);
        if (limit < 1 || limit > 500) {
            throw new Problem.Invalid("limit", "must be between 1 and 500");
        }
        return jdbi.withExtension(DeliveryDao.class, dao -> {
            KeysetPage<Delivery, Long> page = KeysetPage.of(
                dao.ofDestination(id, status.map(DeliveryStatus::wireName).orElse(null), before.orElse(null), limit + 1), limit,
                d -> d.id().value());
            return new KeysetPage<>(withAttempts(dao, page.items()), page.next());
        });
    }

    /** For a page of events the caller may read: each event's deliveries counted by status, for events that have any. */
    public Map<EventId, List<DeliveryTally>> tallies(List<EventSummary> events) {
        if (events.isEmpty()) {
            return Map.of();
        }
        long[] tenants = events.stream().mapToLong(e -> e.tenantId().value()).distinct().toArray();
        long[] ids = events.stream().mapToLong(e -> e.id().value()).toArray();
        return jdbi.withExtension(DeliveryDao.class, dao -> dao.tallies(tenants, ids)).stream()
            .collect(Collectors.groupingBy(t -> new EventId(t.eventId())));
    }

    public String circuitState(DestinationId id) {
        return guards.circuitState(id);
    }

    /** When the destination's open circuit (on this instance) lets a trial delivery through. */
    public Optional<Instant> circuitTrialAt(DestinationId id) {
        return guards.trialAt(id);
    }

    /** Attempts a waiting delivery now instead of at its scheduled retry. */
    public Delivery retryNow(Actor actor, DeliveryId id) {
        Delivery delivery = jdbi.withExtension(DeliveryDao.class, dao -> dao.find(id))
            .filter(d -> actor.canRead(d.tenantId())).orElseThrow(() -> new Problem.NotFound("delivery " + id));
        requireReplayRight(actor, delivery);
        switch (delivery.status()) {
            case SUCCEEDED -> throw new Problem.Conflict("delivery " + id + " already succeeded; redeliver the event to send it again");
            case DEAD -> throw new Problem.Conflict("delivery " + id + " is a dead letter; replay it");
            case CANCELLED -> throw new Problem.Conflict("delivery " + id + " was cancelled: its destination was deleted");
            case PENDING -> {
            }
        }
        Destination destination = destinations.get(actor, delivery.destinationId());
        if (!destination.enabled()) {
            throw new Problem.Conflict("destination " + destination.id() + " (\"" + destination.name()
                + "\") is disabled: its deliveries wait, and go out once it is enabled again");
        }
        if (jdbi.withExtension(DeliveryDao.class, dao -> dao.dueNow(id, clock.instant())) == 0) {
            throw new Problem.Conflict("delivery " + id + " is being attempted right now");
        }
        worker.wake();
        audit.record(actor, "delivery.retry", delivery.tenantId(), "delivery " + id, Map.of());
        return jdbi.withExtension(DeliveryDao.class, dao -> dao.find(id)).orElseThrow();
    }

    /** Sends an event again (also one already delivered) to one destination or to every destination it went to. */
    public List<Delivery> redeliver(Actor actor, EventId eventId, Optional<DestinationId> destinationId) {
        EventSummary event = event(actor, eventId);
        if (!actor.canManage(event.tenantId()) && actor.role() != Role.SUPPORT) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot redeliver events");
        }
        Instant now = clock.instant();
        List<DestinationId> targets = new ArrayList<>();
        if (destinationId.isPresent()) {
            Destination destination = destinations.get(actor, destinationId.get());
            if (!destination.tenantId().equals(event.tenantId())) {
                throw new Problem.Invalid("destinationId", "belongs to another tenant");
            }
            targets.add(destination.id());
        } else {
            jdbi.withExtension(DeliveryDao.class, dao -> dao.ofEvent(event.tenantId(), eventId)).stream()
                .map(Delivery::destinationId).distinct().forEach(targets::add);
            if (targets.isEmpty()) {
                throw new Problem.Conflict("event " + eventId + " has no deliveries yet; name a destinationId");
            }
        }
        List<Delivery> created = jdbi.inTransaction(handle -> {
            DeliveryDao dao = handle.attach(DeliveryDao.class);
            List<Delivery> out = new ArrayList<>();
            for (DestinationId target : targets) {
                DeliveryId delivery = new DeliveryId(dao.insertDelivery(event.tenantId(), eventId, target, null, now, now));
                dao.settleDeadLetters(event.tenantId(), eventId, target, delivery, actor.email(), now);
                out.add(dao.find(delivery).orElseThrow());
            }
            return out;
        });
        worker.wake();
        audit.record(actor, "event.redeliver", event.tenantId(), "event " + eventId, Map.of("deliveries", created.size()));
        return created;
    }

    static void requireReplayRight(Actor actor, Delivery delivery) {
        if (!actor.canManage(delivery.tenantId()) && actor.role() != Role.SUPPORT) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot retry deliveries");
        }
    }

    private EventSummary event(Actor actor, EventId eventId) {
        return jdbi.withExtension(EventDao.class, dao -> dao.find(eventId)).filter(e -> actor.canRead(e.tenantId()))
            .orElseThrow(() -> new Problem.NotFound("event " + eventId));
    }

    private static List<Tracked> withAttempts(DeliveryDao dao, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        long[] ids = deliveries.stream().mapToLong(d -> d.id().value()).toArray();
        Map<DeliveryId, List<Attempt>> attempts = dao.attemptsOf(deliveries.get(0).tenantId(), ids).stream()
            .collect(Collectors.groupingBy(Attempt::deliveryId));
        return deliveries.stream().map(d -> new Tracked(d, attempts.getOrDefault(d.id(), List.of()))).toList();
    }
}
