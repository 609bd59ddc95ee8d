package io.hookgate.replay;

import java.time.Instant;

/**
 * A bulk replay's progress: {@code matched} dead letters when asked, {@code queued} as new deliveries so far, of
 * which {@code delivered} succeeded, {@code failed} died again and {@code cancelled} were cancelled with their
 * destination, deleted meanwhile. State: queued, running (creating deliveries),
 * delivering (all created, some still pending), completed.
 */
public record Replay(long id, String requestedBy, DeadLetterFilter filter, int matched, int queued, int delivered, int failed, int cancelled,
                     String state, String error, Instant createdAt, Instant updatedAt) {
}
