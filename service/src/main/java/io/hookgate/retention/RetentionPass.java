package io.hookgate.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * One pass of the retention purge over every tenant, as far as it got. {@code finishedAt} is null while it runs,
 * and stays null if its instance stopped mid-pass.
 */
public record RetentionPass(long id, Instant startedAt, Instant finishedAt, int tenantsTotal, int tenantsDone,
                            long eventsDeleted, String error) {

    /**
     * completed, failed, running, or interrupted: unfinished an interval after it started, its instance stopped
     * (instances run passes side by side, so a newer pass says nothing about an older one).
     */
    public String state(Instant now, Duration interval) {
        if (finishedAt != null) {
            return error == null ? "completed" : "failed";
        }
        return startedAt.plus(interval).isAfter(now) ? "running" : "interrupted";
    }

    public Duration took() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
