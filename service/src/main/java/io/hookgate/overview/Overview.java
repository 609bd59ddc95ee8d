package io.hookgate.overview;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of a tenant, or of the whole platform, at a glance: the last 24 hours hour by hour, what is waiting (of
 * which {@code backlogPaused} for disabled destinations), and what needs attention.
 */
public record Overview(List<Hour> hours, long eventsReceived, long deliveriesSucceeded, long deliveriesFailed, long backlog,
                       long backlogPaused, Optional<Duration> oldestPendingAge, long deadLettersWaiting, List<OpenCircuit> openCircuits) {

    /** One hour of the chart: events received, deliveries that succeeded and that died (not those cancelled with their destination). */
    public record Hour(Instant start, long events, long succeeded, long failed) {
    }

    public record OpenCircuit(long destinationId, long tenantId, String destinationName, String state) {
    }

    public long maxPerHour() {
        return hours.stream().mapToLong(h -> Math.max(h.events(), h.succeeded() + h.failed())).max().orElse(0);
    }
}
