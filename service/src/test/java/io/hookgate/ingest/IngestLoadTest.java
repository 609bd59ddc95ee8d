package io.hookgate.ingest;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IngestLoadTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final IngestLoad load = new IngestLoad(now::get);

    @Test
    void noAnswerYetMeansNoWait() {
        assertThat(load.recentAnswerMillis()).isZero();
    }

    @Test
    void theAnswerTimeIsAMovingAverage() {
        load.answered(10_000_000L);
        assertThat(load.recentAnswerMillis()).isCloseTo(10, within(1e-9));
        load.answered(60_000_000L);
        assertThat(load.recentAnswerMillis()).isCloseTo(11, within(1e-9)); // 10 + 0.02 * (60 - 10)
    }

    @Test
    void anIngestWithoutRequestsForASecondIsIdle() {
        load.answered(80_000_000L);
        now.addAndGet(900_000_000L);
        assertThat(load.recentAnswerMillis()).isCloseTo(80, within(1e-9));
        now.addAndGet(200_000_000L);
        assertThat(load.recentAnswerMillis()).isZero();
    }
}
