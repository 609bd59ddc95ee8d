package io.hookgate.health;

import com.codahale.metrics.health.HealthCheck;
import io.hookgate.delivery.DeliveryWorker;
import io.hookgate.delivery.Destination;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Health checks of the delivery side, on the admin port's /healthcheck with the database's own. */
public final class DeliveryHealthChecks {

    private DeliveryHealthChecks() {
    }

    /** Unhealthy when this instance's delivery worker is not running. */
    public static HealthCheck worker(DeliveryWorker worker) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return worker.isRunning()
                    ? Result.builder().healthy().withDetail("inFlight", worker.inFlight()).withDetail("paused", worker.isPaused())
                        .withMessage(worker.isPaused() ? "WARNING: paused by an operator (POST /tasks/delivery-resume)" : null).build()
                    : Result.unhealthy("the delivery worker is not running");
            }
        };
    }

    /**
     * Unhealthy when a due delivery has waited longer than {@code threshold} (the workers are stuck or overwhelmed), or
     * when the figures could not be read lately (the database does not answer).
     */
    public static HealthCheck backlog(Operations operations, Duration threshold) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                Optional<Operations.Figures> read = operations.figures();
                if (read.isEmpty()) {
                    return Result.unhealthy("the delivery figures could not be read yet: " + operations.lastFailure());
                }
                Operations.Figures figures = read.get();
                long age = operations.age(figures).toSeconds();
                ResultBuilder result;
                if (operations.isStale(figures)) {
                    result = Result.builder().unhealthy().withMessage("the delivery figures could not be read for " + age
                        + " s: " + operations.lastFailure());
                } else if (figures.oldestOverdue().compareTo(threshold) > 0) {
                    result = Result.builder().unhealthy().withMessage("the oldest due delivery has waited "
                        + figures.oldestOverdue().toSeconds() + " s, more than " + threshold.toSeconds() + " s");
                } else {
                    result = Result.builder().healthy();
                }
                return result.withDetail("backlog", figures.backlog()).withDetail("oldestOverdueSeconds", figures.oldestOverdue().toSeconds())
                    .withDetail("deadLettersWaiting", figures.deadLettersWaiting()).withDetail("figuresAgeSeconds", age).build();
            }
        };
    }

    /**
     * A warning, not a failure: a receiver that is down keeps its circuit open, which is Hookgate working as meant,
     * so it must not take this instance out of a load balancer. The message names the destinations and their tenants,
     * as the UI does, so that whoever reads it knows whom to call.
     */
    public static HealthCheck circuits(Operations operations, Duration threshold) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<Destination> open = operations.circuitsOpenTooLong(); // read in the background: never waits for the database
                if (open.isEmpty()) {
                    return Result.healthy();
                }
                String named = open.stream().map(d -> "\"" + d.name() + "\" (destination " + d.id() + " of tenant " + d.tenantId() + ")")
                    .collect(Collectors.joining(", "));
                return Result.builder().healthy().withMessage("WARNING: circuit open for more than " + readable(threshold) + ": " + named)
                    .withDetail("warning", true)
                    .withDetail("destinations", open.stream().map(d -> Map.of("id", d.id().value(), "tenantId", d.tenantId().value(),
                        "name", d.name())).toList())
                    .build();
            }
        };
    }

    /** "10 min", or "90 s" for a threshold that is not whole minutes (a test's). */
    static String readable(Duration threshold) {
        return threshold.toSecondsPart() == 0 && threshold.toMinutes() > 0 ? threshold.toMinutes() + " min" : threshold.toSeconds() + " s";
    }
}
