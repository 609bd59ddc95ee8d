package io.hookgate.replay;

import java.time.Instant;

/**
 * A bulk replay's progress: {@code matched} dead letters when asked, {@code queued} as new deliveries so far, of
 * which {@code delivered} succeeded and {@code failed} died again. State: queued, running (creating deliveries),
 * delivering (all created, some still pending), completed.
 */
public record Replay(long id, String requestedBy, DeadLetterFilter filter, int matched, int queued, int delivered, int failed,
                     String state, String error, Instant createdAt, Instant updatedAt) {
}
