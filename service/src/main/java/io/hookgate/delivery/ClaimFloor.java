package io.hookgate.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the next claim starts reading the due deliveries, which it takes oldest first.
 * <p>
 * Every delivery claimed or finished leaves a dead entry at the front of the due index until VACUUM removes it, and on
 * a deliveries table that keeps months of history VACUUM comes rarely: a claim reading from the start of the index
 * steps over every one of them, each time (600 index pages per claim after a minute at 1,500 events/s, a quarter of
 * PostgreSQL's time). A claim starts instead a margin before the oldest delivery the previous one took, since every
 * due delivery older than that was taken, or a margin before the previous claim's time if it took none: due deliveries
 * that claims leave where they are (a disabled destination's not yet paused) are then stepped over by the sweeps only,
 * not by an idle worker's claim every second. What can still land behind the floor (an ingest that took longer than
 * the margin to commit, a delivery another instance gave back, a claim rolled back) is taken by the next sweep, a
 * claim from the start, at least every {@link #SWEEP_INTERVAL}.
 */
final class ClaimFloor {

    /** Longer than an ingest takes to commit (its commit timeout is 8 s): a new delivery is due from its receipt. */
    static final Duration MARGIN = Duration.ofSeconds(10);
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    /**
     * Where a claim starts; {@code at}, the time it claims at (due up to then); {@code since} counts give-backs, to
     * tell whether one came while the claim ran.
     */
    record Bound(Instant from, Instant at, long since) {
        boolean sweep() {
            return from.equals(Instant.EPOCH);
        }
    }

    private Instant floor = Instant.EPOCH;
    private Instant nextSweep = Instant.EPOCH;
    private long givenBack;

    synchronized Bound next(Instant now) {
        if (!now.isBefore(nextSweep)) {
            nextSweep = now.plus(SWEEP_INTERVAL);
            return new Bound(Instant.EPOCH, now, givenBack);
        }
        return new Bound(floor, now, givenBack);
    }

    /**
     * After a claim from {@code bound} that took deliveries due from {@code oldestTaken} on, or none. {@code
     * excludedSome}: it left out destinations at their in-flight limit, whose older deliveries it did not take, so the
     * floor stays.
     */
    synchronized void claimed(Bound bound, Optional<Instant> oldestTaken, boolean excludedSome) {
        if (excludedSome || givenBack != bound.since()) {
            return;
        }
        Instant candidate = oldestTaken.orElse(bound.at()).minus(MARGIN);
        floor = candidate.isAfter(bound.from()) ? candidate : bound.from();
    }

    /** A delivery given back due at {@code dueAt}: the next claims start no later. */
    synchronized void givenBack(Instant dueAt) {
        givenBack++;
        if (dueAt.isBefore(floor)) {
            floor = dueAt;
        }
    }
}
