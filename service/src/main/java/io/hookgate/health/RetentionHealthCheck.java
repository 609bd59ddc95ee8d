package io.hookgate.health;

import com.codahale.metrics.health.HealthCheck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A warning, not a failure, when no retention pass has completed for three intervals: the disk fills slowly, so
 * operators should hear of it, but it is no reason to take this instance out of a load balancer. Counted from the
 * service's start while no pass has completed yet.
 */
public final class RetentionHealthCheck extends HealthCheck {

    private final Supplier<Optional<Instant>> lastCompleted;
    private final Duration interval;
    private final Clock clock;
    private final Instant started;

    /**
     * {@code lastCompleted}: when a pass last completed on any instance, as last read in the background (a health
     * check never waits for the database); {@code interval}: how often each instance runs one.
     */
    public RetentionHealthCheck(Supplier<Optional<Instant>> lastCompleted, Duration interval, Clock clock) {
        this.lastCompleted = lastCompleted;
        this.interval = interval;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    protected Result check() {
        Duration allowed = interval.multipliedBy(3);
        Optional<Instant> completed = lastCompleted.get();
        Instant since = completed.orElse(started);
        Duration waited = Duration.between(since, clock.instant());
        ResultBuilder result = Result.builder().healthy().withDetail("lastCompletedAt", completed.map(Instant::toString).orElse(null));
        if (waited.compareTo(allowed) > 0) {
            result.withMessage("WARNING: no retention pass has completed for " + waited.toMinutes() + " min (every instance runs one every "
                + interval.toMinutes() + " min; see GET /api/v1/retention/passes)").withDetail("warning", true);
        }
        return result.build();
    }
}
