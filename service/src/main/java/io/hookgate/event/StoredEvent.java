package io.hookgate.event;

import java.util.Map;

/** An event with everything stored about it. */
public record StoredEvent(EventSummary summary, byte[] body, byte[] bodySha256, Map<String, String> headers) {
}
