package io.hookgate.delivery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class YieldToIngestTest {

    private final YieldToIngest yield = new YieldToIngest();

    @Test
    void aFastIngestNeverPausesDeliveries() {
        for (int i = 0; i < 100; i++) {
            assertThat(yield.nextPauseMillis(YieldToIngest.SLOW_INGEST_MILLIS)).isZero();
        }
    }

    @Test
    void aSlowIngestDoublesThePauseUpToItsCap() {
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pauses.add(yield.nextPauseMillis(45));
        }
        assertThat(pauses).containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 500L, 500L, 500L);
        assertThat(yield.currentPauseMillis()).isEqualTo(YieldToIngest.MAX_PAUSE_MILLIS);
    }

    @Test
    void thePauseHalvesOnceTheIngestIsFastAgainThenStops() {
        for (int i = 0; i < 10; i++) {
            yield.nextPauseMillis(45);
        }
        List<Long> pauses = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            pauses.add(yield.nextPauseMillis(3));
        }
        assertThat(pauses).containsExactly(250L, 125L, 62L, 31L, 15L, 7L, 3L, 0L, 0L);
    }
}
