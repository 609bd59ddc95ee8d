package io.hookgate.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * One pass of the retention purge over every tenant, as far as it got. {@code finishedAt} is null while it runs,
 * and stays null if its instance stopped mid-pass.
 */
public record RetentionPass(long id, Instant startedAt, Instant finishedAt, int tenantsTotal, int tenantsDone,
                            long eventsDeleted, String error) {

    /** completed, failed, running, or interrupted (unfinished, and a newer pass has started or it is overdue). */
    public String state(boolean newest, Instant now, Duration interval) {
        if (finishedAt != null) {
            return error == null ? "completed" : "failed";
        }
        return newest && startedAt.plus(interval).isAfter(now) ? "running" : "interrupted";
    }

    public Duration took() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
