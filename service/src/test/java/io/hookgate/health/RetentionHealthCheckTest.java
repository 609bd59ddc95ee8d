package io.hookgate.health;

import com.codahale.metrics.health.HealthCheck;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionHealthCheckTest {

    static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
    static final Duration HOURLY = Duration.ofHours(1);

    @Test
    void warnsWithoutFailingOnceNoPassHasCompletedForThreeIntervals() {
        AtomicReference<Optional<Instant>> last = new AtomicReference<>(Optional.empty());
        AtomicReference<Instant> now = new AtomicReference<>(START);
        RetentionHealthCheck check = new RetentionHealthCheck(last::get, HOURLY, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });

        now.set(START.plus(Duration.ofHours(2)));
        assertThat(check.execute().getMessage()).as("no pass yet, but the service started 2 h ago").isNull();

        now.set(START.plus(Duration.ofHours(4)));
        HealthCheck.Result overdue = check.execute();
        assertThat(overdue.isHealthy()).as("a warning keeps the instance in the load balancer").isTrue();
        assertThat(overdue.getMessage()).startsWith("WARNING: no retention pass has completed for 240 min");

        last.set(Optional.of(now.get().minusSeconds(60)));
        HealthCheck.Result recent = check.execute();
        assertThat(recent.getMessage()).isNull();
        assertThat(recent.getDetails()).containsEntry("lastCompletedAt", now.get().minusSeconds(60).toString());
    }
}
