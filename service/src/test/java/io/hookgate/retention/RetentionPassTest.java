package io.hookgate.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionPassTest {

    static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    static final Duration HOURLY = Duration.ofHours(1);

    @Test
    void anUnfinishedPassIsRunningOnlyWhileItIsTheNewestAndWithinAnInterval() {
        RetentionPass unfinished = new RetentionPass(7, NOON.minusSeconds(600), null, 12, 3, 40, null);
        assertThat(unfinished.state(true, NOON, HOURLY)).isEqualTo("running");
        assertThat(unfinished.state(false, NOON, HOURLY)).as("a newer pass started: its instance stopped").isEqualTo("interrupted");
        assertThat(unfinished.state(true, NOON.plus(HOURLY), HOURLY)).as("overdue").isEqualTo("interrupted");
    }

    @Test
    void aFinishedPassIsCompletedOrFailedByItsError() {
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 3, 10, null).state(true, NOON, HOURLY)).isEqualTo("completed");
        assertThat(new RetentionPass(1, NOON, NOON.plusSeconds(2), 3, 1, 10, "connection refused").state(true, NOON, HOURLY))
            .isEqualTo("failed");
    }
}
