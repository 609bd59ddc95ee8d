package io.hookgate.tenant;

import java.time.Instant;

/** A stored KEY, still sealed; {@code validUntil} is null for the current KEY. */
record TenantKeyRow(long id, byte[] keyCiphertext, Instant createdAt, Instant validUntil) {
}
