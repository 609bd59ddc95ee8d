package io.hookgate.delivery;

import com.codahale.metrics.MetricRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationGuardsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
    private static final DestinationId DESTINATION = new DestinationId(7);

    private final MetricRegistry metrics = new MetricRegistry();
    private final DestinationGuards guards = new DestinationGuards(Duration.ofSeconds(30), metrics, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aDeliveryRefusedByAnOpenCircuitAsksAgainWhenTheCircuitLetsItsTrialThrough() {
        openTheCircuit();
        assertThat(guards.retryAfterCircuit(DESTINATION, NOW.plusSeconds(10))).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void aDeliveryRefusedByAHalfOpenCircuitAsksAgainSoonAfterTheTrialRatherThanAWholeOpenPeriodLater() {
        openTheCircuit();
        guards.circuit(DESTINATION).transitionToHalfOpenState();
        assertThat(guards.retryAfterCircuit(DESTINATION, NOW.plusSeconds(31)))
            .isEqualTo(NOW.plusSeconds(31).plus(DestinationGuards.HALF_OPEN_RECHECK));
    }

    @Test
    void aForgottenDestinationLeavesNoGauge() {
        openTheCircuit();
        Duration any = Duration.ofSeconds(-1); // the clock stands still: opened "before now + 1 s"
        assertThat(metrics.getGauges()).containsKey("hookgate.circuit." + DESTINATION);
        assertThat(guards.openLongerThan(any)).containsExactly(DESTINATION);
        guards.forget(DESTINATION);
        assertThat(metrics.getGauges()).doesNotContainKey("hookgate.circuit." + DESTINATION);
        assertThat(guards.openLongerThan(any)).isEmpty();
    }

    @Test
    void aCircuitStartedAfreshLetsDeliveriesThroughAndLeavesNoWarning() {
        openTheCircuit();
        Duration any = Duration.ofSeconds(-1);
        guards.resetCircuit(DESTINATION);
        assertThat(guards.circuitState(DESTINATION)).isEqualTo("closed");
        assertThat(guards.circuit(DESTINATION).tryAcquirePermission()).isTrue();
        assertThat(guards.openLongerThan(any)).isEmpty();
        assertThat(metrics.getGauges().get("hookgate.circuit." + DESTINATION).getValue()).isEqualTo(0);
        CircuitBreaker circuit = guards.circuit(DESTINATION);
        for (int i = 0; i < 4; i++) {
            circuit.onError(1, TimeUnit.MILLISECONDS, new IllegalStateException("HTTP 500"));
        }
        assertThat(circuit.getState()).as("four failures of five calls needed: those before the reset no longer count").isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private void openTheCircuit() {
        CircuitBreaker circuit = guards.circuit(DESTINATION);
        for (int i = 0; i < 5; i++) {
            circuit.onError(1, TimeUnit.MILLISECONDS, new IllegalStateException("HTTP 500"));
        }
        assertThat(circuit.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }
}
