package io.hookgate.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPassTest {

    static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    static final Duration HOURLY = Duration.ofHours(1);

    @Test
    void anUnfinishedPassIsRunningForAnIntervalThenInterrupted() {
        RetentionPass unfinished = new RetentionPass(7, NOON.minusSeconds(600), null, 12, 3, 40, null);
        assertThat(unfinished.state(NOON, HOURLY)).isEqualTo("running");
        assertThat(unfinished.state(NOON.plus(HOURLY), HOURLY)).as("its instance stopped").isEqualTo("interrupted");
    }

    @Test
    void aFinishedPassIsCompletedOrFailedByItsError() {
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 3, 10, null).state(NOON, HOURLY)).isEqualTo("completed");
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 1, 10, "connection refused").state(NOON, HOURLY))
            .isEqualTo("failed");
    }
}
