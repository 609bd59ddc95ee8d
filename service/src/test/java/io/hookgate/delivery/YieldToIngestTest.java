package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class YieldToIngestTest {

    private final AtomicLong nanos = new AtomicLong();
    private double cpuLoad = 0.3;
    private final YieldToIngest yield = new YieldToIngest(nanos::get, () -> cpuLoad);

    @Test
    void anIngestAnsweringUnderTheFloorNeverPausesDeliveries() {
        for (int i = 0; i < 100; i++) {
            assertThat(yield.nextPauseMillis(i % 2 == 0 ? 1 : YieldToIngest.SLOW_FLOOR_MILLIS)).isZero();
        }
    }

    @Test
    void aSlowIngestDoublesThePauseUpToItsCap() {
        yield.nextPauseMillis(3); // the base: 3 ms
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pauses.add(yield.nextPauseMillis(45));
        }
        assertThat(pauses).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 500L, 500L, 500L);
        assertThat(yield.currentPauseMillis()).isEqualTo(YieldToIngest.MAX_PAUSE_MILLIS);
    }

    @Test
    void thePauseHalvesOnceTheIngestIsFastAgainThenStops() {
        yield.nextPauseMillis(3);
        for (int i = 0; i < 10; i++) {
            yield.nextPauseMillis(45);
        }
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            pauses.add(yield.nextPauseMillis(3));
        }
        assertThat(pauses).containsExactly(250L, 125L, 62L, 31L, 15L, 7L, 3L, 0L, 0L);
    }

    @Test
    void slowMeansTwiceTheIngestsOwnAnswerTimeSoASlowDiskDoesNotStopDeliveries() {
        // a disk whose flush takes 9 ms: answers of 12 ms are the ingest's own cost, not deliveries' doing
        yield.nextPauseMillis(9);
        for (int i = 0; i < 20; i++) {
            assertThat(yield.nextPauseMillis(12 + i % 5)).isZero();
        }
        assertThat(yield.baseMillis()).isEqualTo(9);
        assertThat(yield.nextPauseMillis(19)).isEqualTo(YieldToIngest.FIRST_PAUSE_MILLIS);
    }

    @Test
    void theBaseForgetsAnswerTimesOlderThanTwoWindows() {
        yield.nextPauseMillis(2);
        nanos.addAndGet(YieldToIngest.BASE_WINDOW_NANOS);
        yield.nextPauseMillis(10); // a new window: 2 ms is still the previous window's lowest
        assertThat(yield.baseMillis()).isEqualTo(2);
        nanos.addAndGet(YieldToIngest.BASE_WINDOW_NANOS);
        yield.nextPauseMillis(10);
        assertThat(yield.baseMillis()).isEqualTo(10);
    }

    @Test
    void onSaturatedCpusAnAnswerTwiceItsBaseIsSlowAlreadyElseOnlyAboveFifteenMillis() {
        yield.nextPauseMillis(2);
        assertThat(yield.nextPauseMillis(8)).as("CPUs with room: deliveries cost the ingest nothing").isZero();
        cpuLoad = 0.95;
        assertThat(yield.nextPauseMillis(8)).isEqualTo(YieldToIngest.FIRST_PAUSE_MILLIS);
        assertThat(yield.nextPauseMillis(3)).as("under the saturated floor").isZero();
    }

    @Test
    void anIdleIngestNeitherPausesDeliveriesNorLowersTheBase() {
        yield.nextPauseMillis(4);
        assertThat(yield.nextPauseMillis(0)).isZero();
        assertThat(yield.baseMillis()).isEqualTo(4);
    }
}
