package io.hookgate.event;

import java.util.List;
import java.util.Optional;

/** One page of search results; {@code next} continues after the last item. */
public record EventPage(List<EventSummary> items, Optional<EventId> next) {
}
