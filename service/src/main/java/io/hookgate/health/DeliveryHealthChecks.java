package io.hookgate.health;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.db.TimeBoundHealthCheck;
import io.hookgate.delivery.DeliveryWorker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

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
     * Unhealthy when a due delivery has waited longer than {@code threshold}: the workers are stuck or overwhelmed. Its
     * queries run on {@code executor} and count as unhealthy after {@code timeout}: a database that hangs must not hang
     * the health check with it.
     */
    public static HealthCheck backlog(Operations operations, Duration threshold, ExecutorService executor, Duration timeout) {
        TimeBoundHealthCheck bounded = new TimeBoundHealthCheck(executor, io.dropwizard.util.Duration.milliseconds(timeout.toMillis()));
        return new HealthCheck() {
            @Override
            protected Result check() {
                return bounded.check(() -> {
                    Duration overdue = operations.oldestOverdue();
                    ResultBuilder result = overdue.compareTo(threshold) > 0
                        ? Result.builder().unhealthy().withMessage("the oldest due delivery has waited " + overdue.toSeconds()
                            + " s, more than " + threshold.toSeconds() + " s")
                        : Result.builder().healthy();
                    return result.withDetail("backlog", operations.backlog()).withDetail("oldestOverdueSeconds", overdue.toSeconds())
                        .withDetail("deadLettersWaiting", operations.deadLettersWaiting()).build();
                });
            }
        };
    }

    /**
     * A warning, not a failure: a receiver that is down keeps its circuit open, which is Hookgate working as meant,
     * so it must not take this instance out of a load balancer. The message names the destinations.
     */
    public static HealthCheck circuits(Supplier<List<String>> openTooLong, Duration threshold) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<String> open = openTooLong.get();
                return open.isEmpty() ? Result.healthy()
                    : Result.builder().healthy().withMessage("WARNING: circuit open for more than " + threshold.toMinutes()
                        + " min: destinations " + String.join(", ", open)).withDetail("warning", true).build();
            }
        };
    }
}
