package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class YieldToIngestTest {

    private static final int WANTED = 64;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private double cpuLoad = 0.3;
    private final YieldToIngest yield = new YieldToIngest(nanos::get, () -> cpuLoad, YieldToIngest.DEFAULT_MIN_RATE);

    @Test
    void anIngestAnsweringUnderTheFloorNeverPacesDeliveries() {
        for (int i = 0; i < 100; i++) {
            assertThat(decide(i % 2 == 0 ? 1 : YieldToIngest.SLOW_FLOOR_MILLIS)).isEqualTo(WANTED);
            yield.started(WANTED);
        }
        assertThat(yield.ratePerSecond()).isZero();
        assertThat(yield.currentPauseMillis()).isZero();
    }

    @Test
    void aSlowIngestHalvesTheRateDeliveriesStartedAtDownToItsFloor() {
        decide(3); // the base: 3 ms
        yield.started(400); // 400 in the 50 ms before the ingest slowed: 8,000/s
        List<Long> rates = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            decide(45);
            rates.add(Math.round(yield.ratePerSecond()));
        }
        assertThat(rates).containsExactly(4000L, 2000L, 1000L, 500L, 250L, 250L, 250L);
        assertThat(yield.currentPauseMillis()).isEqualTo(4);
    }

    @Test
    void whilePacedDeliveriesStartAtTheRateInClaimsOfTwentyMillisecondsOfIt() {
        decide(3);
        yield.started(50); // 1,000/s
        decide(45);        // paced at 500/s
        int started = 0;
        int largest = 0;
        for (int ms = 0; ms < 49; ms++) { // within one decision: the rate holds
            nanos.addAndGet(1_000_000);
            int permits = yield.permits(WANTED, 45);
            yield.started(permits);
            started += permits;
            largest = Math.max(largest, permits);
        }
        assertThat(started).isEqualTo(20); // 500/s for 49 ms, 10 at a time: two claims, the third due at 60 ms
        assertThat(largest).isEqualTo(10);
        assertThat(yield.permits(WANTED, 45)).isZero();
        assertThat(yield.nanosUntilPermit()).isBetween(10_000_000L, 12_000_000L);
        assertThat(yield.permits(3, 45)).as("fewer wanted than a burst, and the tokens for them").isEqualTo(3);
    }

    @Test
    void theRateGrowsBackOnceTheIngestIsFastAgainUntilItIsNoLimit() {
        decide(3);
        for (int i = 0; i < 10; i++) {
            decide(45);
        }
        assertThat(yield.ratePerSecond()).isEqualTo(YieldToIngest.DEFAULT_MIN_RATE);
        List<Long> rates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            decide(3);
            rates.add(Math.round(yield.ratePerSecond()));
        }
        assertThat(rates).containsExactly(275L, 303L, 333L);
        int decisions = 3;
        while (yield.ratePerSecond() > 0) {
            decide(3);
            decisions++;
        }
        assertThat(decisions).as("from 250/s to no limit, a tenth more every 50 ms: 1.95 s").isEqualTo(39);
        assertThat(decide(3)).isEqualTo(WANTED);
    }

    @Test
    void slowMeansTwiceTheIngestsOwnAnswerTimeSoASlowDiskDoesNotPaceDeliveries() {
        // a disk whose flush takes 9 ms: answers of 12 ms are the ingest's own cost, not deliveries' doing
        decide(9);
        for (int i = 0; i < 20; i++) {
            assertThat(decide(12 + i % 5)).isEqualTo(WANTED);
        }
        assertThat(yield.baseMillis()).isEqualTo(9);
        decide(19);
        assertThat(yield.ratePerSecond()).isEqualTo(YieldToIngest.DEFAULT_MIN_RATE); // nothing started lately: the floor
    }

    @Test
    void theBaseForgetsAnswerTimesOlderThanTwoWindows() {
        decide(2);
        nanos.addAndGet(YieldToIngest.BASE_WINDOW_NANOS);
        decide(10); // a new window: 2 ms is still the previous window's lowest
        assertThat(yield.baseMillis()).isEqualTo(2);
        nanos.addAndGet(YieldToIngest.BASE_WINDOW_NANOS);
        decide(10);
        assertThat(yield.baseMillis()).isEqualTo(10);
    }

    @Test
    void fromThreeQuartersBusyAnAnswerTwiceItsBaseIsSlowAlreadyElseOnlyAboveFifteenMillis() {
        decide(2);
        decide(8);
        assertThat(yield.ratePerSecond()).as("CPUs with room: deliveries cost the ingest nothing").isZero();
        cpuLoad = 0.8; // not full: a runnable ingest thread already waits for a core much of the time
        decide(8);
        assertThat(yield.ratePerSecond()).isEqualTo(YieldToIngest.DEFAULT_MIN_RATE);
        decide(3);
        assertThat(yield.ratePerSecond()).as("under the saturated floor: growing again").isCloseTo(275, within(0.01));
    }

    @Test
    void onABusyMachineALightIngestsDeliveriesStillStartAsFastAsTheyArrive() {
        // 200 events/s, one delivery each, while other work keeps the CPUs busy and the answers over twice their base
        YieldToIngest floored = new YieldToIngest(nanos::get, () -> 0.9, YieldToIngest.DEFAULT_MIN_RATE);
        floored.permits(WANTED, 2);
        int waiting = 0;
        int started = 0;
        for (int ms = 1; ms <= 10_000; ms++) {
            nanos.addAndGet(1_000_000);
            if (ms % 5 == 0) {
                waiting++;
            }
            int permits = floored.permits(waiting, 8);
            floored.started(permits);
            waiting -= permits;
            started += permits;
        }
        assertThat(floored.ratePerSecond()).as("paced all along").isEqualTo(YieldToIngest.DEFAULT_MIN_RATE);
        assertThat(started).isEqualTo(2_000);
        assertThat(waiting).as("none left waiting").isZero();
    }

    @Test
    void aConfiguredFloorIsTheSlowestPace() {
        YieldToIngest floored = new YieldToIngest(nanos::get, () -> 0.9, 40);
        floored.permits(WANTED, 2);
        for (int i = 0; i < 20; i++) {
            nanos.addAndGet(YieldToIngest.DECISION_NANOS);
            floored.permits(WANTED, 45);
        }
        assertThat(floored.ratePerSecond()).isEqualTo(40);
    }

    @Test
    void anIdleIngestNeitherPacesDeliveriesNorLowersTheBase() {
        decide(4);
        assertThat(decide(0)).isEqualTo(WANTED);
        assertThat(yield.baseMillis()).isEqualTo(4);
    }

    /** One decision period later: the permits for a full claim at this answer time. */
    private int decide(double answerMillis) {
        nanos.addAndGet(YieldToIngest.DECISION_NANOS);
        return yield.permits(WANTED, answerMillis);
    }
}
