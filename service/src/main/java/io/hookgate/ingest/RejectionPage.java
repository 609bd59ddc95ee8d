package io.hookgate.ingest;

import java.util.List;
import java.util.Optional;

/** A page of rejections, newest first, and the cursor of the next (older) page if there is one. */
public record RejectionPage(List<Rejection> items, Optional<Long> next) {
}
