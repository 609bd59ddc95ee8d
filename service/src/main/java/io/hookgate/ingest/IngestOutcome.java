package io.hookgate.ingest;

import io.hookgate.event.EventId;
import io.hookgate.event.EventKind;

/** What became of an inbound notification. */
public sealed interface IngestOutcome {

    /** Committed: AIRUDDER may be told 200. */
    record Stored(EventId eventId, EventKind kind) implements IngestOutcome {
    }

    /** Already stored earlier: answered 200 again, stored and forwarded once. */
    record Duplicate(EventKind kind) implements IngestOutcome {
    }

    record Rejected(RejectionReason reason, String message) implements IngestOutcome {
    }
}
