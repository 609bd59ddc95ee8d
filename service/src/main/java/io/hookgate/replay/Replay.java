package io.hookgate.replay;

import java.time.Instant;

/**
 * A bulk replay's progress: {@code matched} dead letters (or missed events) when asked, {@code queued} as new
 * deliveries so far, of which {@code delivered} succeeded, {@code failed} died again and {@code cancelled} were
 * cancelled with their destination, deleted meanwhile. State: queued, running (creating deliveries),
 * delivering (all created, some still pending), completed.
 */
public record Replay(long id, Source source, String requestedBy, DeadLetterFilter filter, int matched, int queued, int delivered, int failed,
                     int cancelled, String state, String error, Instant createdAt, Instant updatedAt) {

    /** What a replay sends again. */
    public enum Source {
        /** Waiting dead letters that match its filter. */
        DEAD_LETTERS("dead_letters"),
        /** To one destination, the events received in [from, to) that it never got a delivery of. */
        MISSING("missing");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Source fromWireName(String name) {
            for (Source source : values()) {
                if (source.wireName.equals(name)) {
                    return source;
                }
            }
            throw new IllegalArgumentException("replay source " + name);
        }
    }
}
