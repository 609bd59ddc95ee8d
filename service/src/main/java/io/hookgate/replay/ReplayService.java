package io.hookgate.replay;

import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.auth.Role;
import io.hookgate.delivery.AttemptResult;
import io.hookgate.delivery.DeliveryDao;
import io.hookgate.delivery.DeliveryId;
import io.hookgate.delivery.DestinationId;
import io.hookgate.event.EventId;
import io.hookgate.support.KeysetPage;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Dead letters and their replay. A replay creates a new delivery with the same webhook-id and marks the dead letter
 * replayed (when, by whom): nothing is deleted. Tenant admins replay within their tenant, support and platform
 * admins across tenants; every replay is in the audit log. A replay can also send a destination the events it missed.
 */
public final class ReplayService {

    private final Jdbi jdbi;
    private final AuditLog audit;
    private final Clock clock;
    private final Runnable deliveriesCreated;
    private final Function<DestinationId, String> circuitState;

    /** {@code circuitState}: a destination's circuit on this instance, closed, open or half_open. */
    public ReplayService(Jdbi jdbi, AuditLog audit, Clock clock, Runnable deliveriesCreated, Function<DestinationId, String> circuitState) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.deliveriesCreated = deliveriesCreated;
        this.circuitState = circuitState;
    }

    public KeysetPage<DeadLetter, Long> list(Actor actor, DeadLetterFilter filter, boolean waitingOnly, Optional<Long> before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new Problem.Invalid("limit", "must be between 1 and 500");
        }
        DeadLetterFilter scoped = scope(actor, filter);
        return KeysetPage.of(jdbi.withExtension(DeadLetterDao.class, dao -> dao.search(scoped, waitingOnly, before, limit + 1)), limit,
            DeadLetter::id);
    }

    /** How many waiting dead letters a bulk replay with this filter would take. */
    public long countWaiting(Actor actor, DeadLetterFilter filter) {
        DeadLetterFilter scoped = scope(actor, filter);
        return jdbi.withExtension(DeadLetterDao.class, dao -> dao.countWaiting(scoped))[0];
    }

    /** An event's dead letters, waiting or replayed, oldest first. */
    public List<DeadLetter> ofEvent(Actor actor, TenantId tenant, EventId event) {
        actor.requireRead(tenant);
        return jdbi.withExtension(DeadLetterDao.class, dao -> dao.ofEvent(tenant, event));
    }

    public DeadLetter get(Actor actor, long id) {
        return jdbi.withExtension(DeadLetterDao.class, dao -> dao.find(id)).filter(d -> actor.canRead(d.tenantId()))
            .orElseThrow(() -> new Problem.NotFound("dead letter " + id));
    }

    public DeadLetter replay(Actor actor, long id) {
        DeadLetter letter = get(actor, id);
        requireReplayRight(actor, letter.tenantId());
        if (letter.replayedAt() != null) {
            throw new Problem.Conflict("dead letter " + id + " was already replayed at " + letter.replayedAt().truncatedTo(ChronoUnit.SECONDS)
                + " by " + letter.replayedBy());
        }
        if (letter.destinationDeleted()) {
            throw new Problem.Conflict("dead letter " + id + " cannot be replayed: its destination was deleted, so there is nowhere to send it");
        }
        Instant now = clock.instant();
        try {
            jdbi.useTransaction(handle -> replayOne(handle.attach(DeadLetterDao.class), handle.attach(DeliveryDao.class),
                letter, null, now, now, actor.email()));
        } catch (AlreadyReplayed e) {
            throw new Problem.Conflict("dead letter " + id + " was replayed by someone else just now");
        }
        deliveriesCreated.run();
        audit.record(actor, "deadletter.replay", letter.tenantId(), "dead letter " + id, Map.of("count", 1));
        return get(actor, id);
    }

    /** A bulk replay just asked for; {@code existing}: the same request was still being queued, and this is its replay. */
    public record Started(Replay replay, boolean existing) {
    }

    private record Asked(long id, boolean existing) {
    }

    /**
     * Starts a background replay of every waiting dead letter that matches; returns it with its matched count. The same
     * filter asked again while its replay is still queueing is that replay (nothing counted or audited twice).
     */
    public Started startBulk(Actor actor, DeadLetterFilter filter) {
        DeadLetterFilter scoped = scope(actor, filter);
        if (actor.role() == Role.TENANT_ADMIN) {
            requireReplayRight(actor, scoped.tenantId().orElseThrow());
        } else if (!actor.seesAllTenants()) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot replay");
        }
        Instant now = clock.instant();
        Asked asked = jdbi.inTransaction(handle -> {
            ReplayDao dao = handle.attach(ReplayDao.class);
            dao.lockBulkStarts(); // read committed: the lookup below, after the lock, sees a request that committed just before
            Optional<Long> queueing = dao.queueingWithFilter(scoped.tenantId().map(TenantId::value).orElse(null),
                scoped.destinationId().map(DestinationId::value).orElse(null), scoped.from().orElse(null), scoped.to().orElse(null),
                scoped.lastStatus().orElse(null), scoped.taskId().orElse(null));
            if (queueing.isPresent()) {
                return new Asked(queueing.get(), true);
            }
            long[] counted = handle.attach(DeadLetterDao.class).countWaiting(scoped);
            return new Asked(dao.insert(actor.email(), scoped.tenantId().orElse(null), scoped.destinationId().orElse(null),
                scoped.from().orElse(null), scoped.to().orElse(null), scoped.lastStatus().orElse(null), scoped.taskId().orElse(null),
                counted[1], (int) counted[0], now), false);
        });
        Replay replay = progress(actor, asked.id());
        if (asked.existing()) {
            return new Started(replay, true);
        }
        audit.record(actor, "deadletter.replay.bulk", scoped.tenantId().orElse(null), "replay " + replay.id(), Map.of("matched", replay.matched(),
            "destinationId", scoped.destinationId().map(Object::toString).orElse("any"),
            "from", scoped.from().map(Object::toString).orElse("any"), "to", scoped.to().map(Object::toString).orElse("any"),
            "lastStatus", scoped.lastStatus().orElse("any"), "taskId", scoped.taskId().orElse("any")));
        return new Started(replay, false);
    }

    /**
     * What {@link #startMissing} would send now, for the confirmation: the events received in [since, until) that the
     * destination never got a delivery of ({@code until} as given, or now: the replay asked with it takes the same ones),
     * and the replay of missed events still going for the destination, if any.
     */
    public record MissedCount(int count, Instant since, Instant until, Optional<Long> running) {
    }

    public MissedCount countMissing(Actor actor, DestinationId destinationId, Optional<Instant> from, Optional<Instant> to) {
        MissedRange range = missedRange(actor, destinationId, from, to);
        return jdbi.withExtension(ReplayDao.class, dao -> new MissedCount(dao.countMissed(destinationId, range.since(), range.until()),
            range.since(), range.until(), dao.unfinishedMissing(destinationId)));
    }

    /**
     * Starts a background replay, to one destination, of the events received in [from, to) that it never got a delivery
     * of: while it was disabled, before it existed, or when its kinds or filter left them out (they are matched as they
     * are now). {@code to} defaults to now. One at a time per destination, or the two would send the same events.
     */
    public Replay startMissing(Actor actor, DestinationId destinationId, Optional<Instant> from, Optional<Instant> to) {
        MissedRange range = missedRange(actor, destinationId, from, to);
        Instant now = clock.instant();
        long id = jdbi.inTransaction(handle -> {
            ReplayDao dao = handle.attach(ReplayDao.class);
            dao.lockDestination(destinationId); // two requests at once: the second sees the first's replay
            dao.unfinishedMissing(destinationId).ifPresent(running -> {
                throw new Problem.Conflict("replay " + running + " is still sending this destination the events it missed; "
                    + "start another once it has completed");
            });
            int matched = dao.countMissed(destinationId, range.since(), range.until());
            return dao.insertMissing(actor.email(), range.tenant(), destinationId, range.since(), range.until(), matched, now);
        });
        Replay replay = progress(actor, id);
        audit.record(actor, "destination.replay_missing", range.tenant(), "replay " + id, Map.of("matched", replay.matched(),
            "destinationId", destinationId.toString(), "since", range.since().toString(), "until", range.until().toString()));
        return replay;
    }

    private record MissedRange(TenantId tenant, Instant since, Instant until) {
    }

    /** The destination's tenant, if the actor may replay there, and the times checked; {@code to} no later than now. */
    private MissedRange missedRange(Actor actor, DestinationId destinationId, Optional<Instant> from, Optional<Instant> to) {
        TenantId tenant = jdbi.withExtension(ReplayDao.class, dao -> dao.tenantOfDestination(destinationId)).map(TenantId::new)
            .filter(actor::canRead).orElseThrow(() -> new Problem.NotFound("destination " + destinationId));
        requireReplayRight(actor, tenant);
        if (jdbi.withExtension(ReplayDao.class, dao -> dao.destinationDeleted(destinationId))) {
            throw new Problem.Conflict("destination " + destinationId + " was deleted, so there is nowhere to send the events");
        }
        Instant now = clock.instant();
        Instant since = from.orElseThrow(() -> new Problem.Invalid("since", "is required: the time from which to look for events "
            + "the destination missed"));
        Instant until = to.filter(t -> t.isBefore(now)).orElse(now); // a later event's destinations are as it came
        if (!since.isBefore(until)) {
            throw new Problem.Invalid("since", "must be before until (and before now)");
        }
        return new MissedRange(tenant, since, until);
    }

    /** Bulk replays, newest first: a tenant admin's of its tenant, anyone else's of every tenant or of {@code tenant}. */
    public KeysetPage<Replay, Long> recent(Actor actor, Optional<TenantId> tenant, Optional<Long> before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new Problem.Invalid("limit", "must be between 1 and 500");
        }
        tenant.ifPresent(actor::requireRead);
        Optional<TenantId> of = tenant.isPresent() || actor.seesAllTenants() ? tenant : Optional.of(actor.tenantId()
            .orElseThrow(() -> new Problem.Forbidden("the " + actor.role().wireName() + " role sees no replays")));
        Long tenantId = of.map(TenantId::value).orElse(null);
        List<Replay> found = jdbi.withExtension(ReplayDao.class, dao -> dao.newestFirst(tenantId, before.orElse(null), limit + 1))
            .stream().map(ReplayDao.ReplayRow::replay).toList();
        return KeysetPage.of(found, limit, Replay::id);
    }

    public Replay progress(Actor actor, long id) {
        return find(actor, id).orElseThrow(() -> new Problem.NotFound("replay " + id));
    }

    /** Whether {@code actor} may open the replay: a replay across tenants is a platform admin's or support's. */
    public boolean visible(Actor actor, long id) {
        return find(actor, id).isPresent();
    }

    private Optional<Replay> find(Actor actor, long id) {
        return jdbi.withExtension(ReplayDao.class, dao -> dao.find(id)).map(ReplayDao.ReplayRow::replay)
            .filter(replay -> replay.filter().tenantId().map(actor::canRead).orElse(actor.seesAllTenants()));
    }

    /**
     * The deliveries a bulk replay still waits for, by destination (a destination's open circuit holds them back); of a
     * replay the caller has read with {@link #progress}, which checked its right to.
     */
    public List<PendingReplayDeliveries> pending(Replay replay) {
        return jdbi.withExtension(ReplayDao.class, dao -> dao.pending(replay.id())).stream()
            .map(p -> new PendingReplayDeliveries(p.destinationId(), p.destinationName(), p.deliveries(), p.nextAttemptAt(), p.enabled(),
                circuitState.apply(p.destinationId())))
            .toList();
    }

    /** Replays one dead letter within the caller's transaction; throws {@link AlreadyReplayed} if someone was first. */
    static void replayOne(DeadLetterDao letters, DeliveryDao deliveries, DeadLetter letter, Long replayId, Instant dueAt,
                             Instant now, String by) {
        DeliveryId delivery = new DeliveryId(deliveries.insertDelivery(letter.tenantId(), letter.eventId(), letter.destinationId(),
            replayId, dueAt, now));
        if (letters.markReplayed(letter.id(), delivery, by, now) == 0) {
            throw new AlreadyReplayed();
        }
    }

    /** Rolls back a replay that lost the race for its dead letter. */
    static final class AlreadyReplayed extends RuntimeException {
        AlreadyReplayed() {
            super(null, null, false, false);
        }
    }

    /**
     * The filter as the actor may apply it: a tenant admin's narrowed to its tenant, and a destination's to the
     * destination's tenant, so that the replay and its audit entry say whose dead letters they are. A destination that
     * does not exist, or belongs to another tenant than the filter's, is not found, as everywhere else, rather than an
     * empty list or replay; so is a last status no attempt can end with.
     */
    private DeadLetterFilter scope(Actor actor, DeadLetterFilter filter) {
        filter.lastStatus().filter(status -> !Character.isDigit(status.charAt(0)) && !AttemptResult.ERROR_KINDS.contains(status))
            .ifPresent(status -> {
                throw new Problem.Invalid("lastStatus", "\"" + status + "\" is neither an HTTP status code such as 503 nor an "
                    + "error kind: " + String.join(", ", AttemptResult.ERROR_KINDS));
            });
        DeadLetterFilter scoped = filter;
        if (actor.role() == Role.TENANT_ADMIN) {
            TenantId own = actor.tenantId().orElseThrow();
            if (filter.tenantId().isPresent() && !filter.tenantId().get().equals(own)) {
                throw new Problem.NotFound("tenant " + filter.tenantId().get());
            }
            scoped = filter.forTenant(own);
        }
        if (scoped.destinationId().isEmpty()) {
            return scoped;
        }
        DestinationId destination = scoped.destinationId().get();
        TenantId owner = jdbi.withExtension(ReplayDao.class, dao -> dao.tenantOfDestination(destination)).map(TenantId::new)
            .orElseThrow(() -> new Problem.NotFound("destination " + destination));
        if (scoped.tenantId().isPresent() && !scoped.tenantId().get().equals(owner)) {
            throw new Problem.NotFound("destination " + destination);
        }
        return scoped.forTenant(owner);
    }

    private static void requireReplayRight(Actor actor, TenantId tenant) {
        if (!actor.canManage(tenant) && actor.role() != Role.SUPPORT) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot replay");
        }
    }
}
