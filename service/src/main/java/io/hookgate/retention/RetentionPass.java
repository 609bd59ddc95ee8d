package io.hookgate.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * One pass of the retention purge over every tenant, as far as it got. {@code finishedAt} is null while it runs,
 * and stays null if its instance stopped mid-pass; {@code progressAt} is when it last recorded progress (after each
 * batch it deleted, and each tenant it finished).
 */
public record RetentionPass(long id, Instant startedAt, Instant finishedAt, int tenantsTotal, int tenantsDone,
                            long eventsDeleted, String error, Instant progressAt) {

    /** A running pass records progress every few seconds: one silent this long has stopped with its instance. */
    static final Duration SILENT_WHEN_STOPPED = Duration.ofMinutes(10);

    /**
     * completed, failed, running, or interrupted: unfinished and silent for {@link #SILENT_WHEN_STOPPED} (or an
     * interval, if shorter), its instance stopped (instances run passes side by side, so a newer pass says nothing
     * about an older one).
     */
    public String state(Instant now, Duration interval) {
        if (finishedAt != null) {
            return error == null ? "completed" : "failed";
        }
        Instant lastSign = progressAt == null ? startedAt : progressAt;
        Duration patience = interval.compareTo(SILENT_WHEN_STOPPED) < 0 ? interval : SILENT_WHEN_STOPPED;
        return lastSign.plus(patience).isAfter(now) ? "running" : "interrupted";
    }

    public Duration took() {
        return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
