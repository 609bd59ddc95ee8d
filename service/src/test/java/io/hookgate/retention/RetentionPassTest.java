package io.hookgate.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPassTest {

    static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    static final Duration HOURLY = Duration.ofHours(1);

    @Test
    void aPassThatKeepsRecordingProgressIsRunningLongAfterItsIntervalAndInterruptedOnceSilent() {
        RetentionPass first = new RetentionPass(7, NOON.minus(Duration.ofHours(3)), null, 12, 3, 400_000, null, NOON.minusSeconds(30));
        assertThat(first.state(NOON, HOURLY)).as("the first pass on a large database").isEqualTo("running");
        assertThat(first.state(NOON.plus(Duration.ofMinutes(11)), HOURLY)).as("its instance stopped").isEqualTo("interrupted");
    }

    @Test
    void aPassWithNoProgressYetIsRunningUntilSilentTooLong() {
        RetentionPass starting = new RetentionPass(7, NOON.minus(Duration.ofMinutes(5)), null, 12, 0, 0, null, null);
        assertThat(starting.state(NOON, HOURLY)).isEqualTo("running");
        assertThat(starting.state(NOON.plus(Duration.ofMinutes(6)), HOURLY)).isEqualTo("interrupted");
        assertThat(starting.state(NOON, Duration.ofMinutes(2))).as("not longer than a short interval").isEqualTo("interrupted");
    }

    @Test
    void aFinishedPassIsCompletedOrFailedByItsError() {
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 3, 10, null, NOON.plusSeconds(2)).state(NOON, HOURLY)).isEqualTo("completed");
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 1, 10, "connection refused", NOON.plusSeconds(1)).state(NOON, HOURLY))
            .isEqualTo("failed");
    }
}
