package io.hookgate.delivery;

import com.codahale.metrics.MetricRegistry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Isolation per destination, with resilience4j: a circuit breaker (a failing destination is left alone for a while
 * instead of being hammered), a bulkhead (at most maxInFlight attempts at once, so a hanging destination holds only
 * its own share) and an optional rate limiter. They live in this process: with several instances, each enforces
 * the limits for its own attempts.
 */
final class DestinationGuards {

    private static final Logger LOG = LoggerFactory.getLogger(DestinationGuards.class);

    private final CircuitBreakerRegistry circuits;
    private final Duration circuitOpenFor;
    private final Map<DestinationId, Limits> limits = new ConcurrentHashMap<>();
    /** When each open circuit opened, for the health check's warning and the gauges. */
    private final Map<DestinationId, Instant> openSince = new ConcurrentHashMap<>();
    /** When each circuit last opened: it lets a trial through {@code circuitOpenFor} later. */
    private final Map<DestinationId, Instant> lastOpened = new ConcurrentHashMap<>();
    /** How soon a delivery refused by a half-open circuit asks again: its one trial is under way. */
    static final Duration HALF_OPEN_RECHECK = Duration.ofSeconds(2);
    private final MetricRegistry metrics;
    private final Clock clock;

    /** The bulkhead and rate limiter built for a destination's current settings. */
    record Limits(int maxInFlight, Optional<Double> ratePerSecond, Bulkhead bulkhead, Optional<RateLimiter> rateLimiter) {
    }

    DestinationGuards(Duration circuitOpenFor, MetricRegistry metrics, Clock clock) {
        this.circuitOpenFor = circuitOpenFor;
        this.metrics = metrics;
        this.clock = clock;
        this.circuits = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(circuitOpenFor)
            .permittedNumberOfCallsInHalfOpenState(1)
            // shows half_open in the API once the wait is over, not "open" until the next delivery happens to come
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build());
    }

    CircuitBreaker circuit(DestinationId id) {
        return circuits.find("destination-" + id).orElseGet(() -> {
            CircuitBreaker created = circuits.circuitBreaker("destination-" + id);
            created.getEventPublisher().onStateTransition(event -> {
                CircuitBreaker.State to = event.getStateTransition().getToState();
                // rare, and what an operator looks for first when a receiver is down; JSON logs find it by destinationId
                try (var about = MDC.putCloseable("destinationId", id.toString())) {
                    LOG.info("The circuit of destination {} is now {} (it was {})", id, to.name().toLowerCase(Locale.ROOT),
                        event.getStateTransition().getFromState().name().toLowerCase(Locale.ROOT));
                }
                if (to == CircuitBreaker.State.CLOSED) {
                    openSince.remove(id);
                } else {
                    openSince.putIfAbsent(id, clock.instant());
                }
                if (to == CircuitBreaker.State.OPEN) {
                    lastOpened.put(id, clock.instant());
                }
            });
            // hookgate.circuit.{destination}: 0 closed, 1 open or half open
            metrics.gauge("hookgate.circuit." + id, () -> () -> created.getState() == CircuitBreaker.State.CLOSED ? 0 : 1);
            return created;
        });
    }

    /** A deleted destination's guards go, its circuit gauge and open-circuit warning with them. */
    void forget(DestinationId id) {
        circuits.remove("destination-" + id);
        limits.remove(id);
        openSince.remove(id);
        lastOpened.remove(id);
        metrics.remove("hookgate.circuit." + id);
    }

    /**
     * A destination paused, enabled again or pointed at another URL starts its circuit afresh: the failures counted
     * before say nothing of the receiver it reaches next, and would open the circuit on its first failure or two; nor
     * does a paused destination's circuit warn anyone.
     */
    void resetCircuit(DestinationId id) {
        circuits.find("destination-" + id).ifPresent(CircuitBreaker::reset);
        openSince.remove(id);
        lastOpened.remove(id);
    }

    /** How far ahead an open circuit, on any instance, can have put its deliveries: to its trial. */
    Duration longestDeferral() {
        return circuitOpenFor;
    }

    /**
     * When a delivery its circuit refused may ask again: when an open circuit lets its trial through, or, half open,
     * soon after the trial's outcome; not a whole {@code circuitOpenFor} later, by when the circuit may long have closed.
     */
    Instant retryAfterCircuit(DestinationId id, Instant now) {
        return trialAt(id).filter(trial -> trial.isAfter(now))
            .orElseGet(() -> now.plus(circuitOpenFor.compareTo(HALF_OPEN_RECHECK) < 0 ? circuitOpenFor : HALF_OPEN_RECHECK));
    }

    /** When an open circuit lets its trial delivery through; empty when the circuit is not open. */
    Optional<Instant> trialAt(DestinationId id) {
        Instant opened = lastOpened.get(id);
        return opened != null && circuitState(id).equals("open") ? Optional.of(opened.plus(circuitOpenFor)) : Optional.empty();
    }

    /** Destinations whose circuit has not been closed for longer than {@code threshold}. */
    List<DestinationId> openLongerThan(Duration threshold) {
        Instant cutoff = clock.instant().minus(threshold);
        return openSince.entrySet().stream().filter(e -> e.getValue().isBefore(cutoff)).map(Map.Entry::getKey).sorted(
            Comparator.comparingLong(DestinationId::value)).toList();
    }

    /** closed, open, half_open …, as the API shows it; "closed" for a destination not attempted yet. */
    String circuitState(DestinationId id) {
        return circuits.find("destination-" + id).map(c -> c.getState().name().toLowerCase(Locale.ROOT)).orElse("closed");
    }

    Limits limits(Destination destination) {
        Optional<Double> rate = destination.settings().rateLimitPerSecond();
        int maxInFlight = destination.settings().maxInFlight();
        return limits.compute(destination.id(), (id, current) -> current != null && current.maxInFlight() == maxInFlight
            && current.ratePerSecond().equals(rate) ? current : build(id, maxInFlight, rate));
    }

    /** Destinations whose every in-flight slot is taken: the claim query leaves their deliveries for later. */
    long[] saturated() {
        return limits.entrySet().stream().filter(e -> e.getValue().bulkhead().getMetrics().getAvailableConcurrentCalls() == 0)
            .mapToLong(e -> e.getKey().value()).toArray();
    }

    private static Limits build(DestinationId id, int maxInFlight, Optional<Double> rate) {
        Bulkhead bulkhead = Bulkhead.of("destination-" + id, BulkheadConfig.custom()
            .maxConcurrentCalls(maxInFlight).maxWaitDuration(Duration.ZERO).build());
        Optional<RateLimiter> limiter = rate.map(perSecond -> {
            // below one per second, one permit per (1 / rate) seconds
            int permits = perSecond >= 1 ? (int) Math.round(perSecond) : 1;
            Duration period = perSecond >= 1 ? Duration.ofSeconds(1) : Duration.ofMillis(Math.round(1000 / perSecond));
            return RateLimiter.of("destination-" + id, RateLimiterConfig.custom()
                .limitForPeriod(permits).limitRefreshPeriod(period).timeoutDuration(Duration.ZERO).build());
        });
        return new Limits(maxInFlight, rate, bulkhead, limiter);
    }
}
