package io.hookgate.audit;

import java.util.List;
import java.util.Optional;

/** One page of audit entries, newest first; {@code next} is the id to continue below. */
public record AuditEntryPage(List<AuditEntry> items, Optional<Long> next) {
}
