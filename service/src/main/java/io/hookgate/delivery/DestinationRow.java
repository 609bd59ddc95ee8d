package io.hookgate.delivery;

import io.hookgate.tenant.TenantId;

import java.time.Instant;

/** A destination as stored: headers still sealed, filter as JSON text. */
record DestinationRow(DestinationId id, TenantId tenantId, String name, String url, boolean enabled, String[] kinds,
                      String filterJson, byte[] headersCiphertext, int timeoutMs, int maxAttempts, long backoffInitialMs,
                      double backoffMultiplier, long backoffMaxMs, Double rateLimitPerSecond, int maxInFlight,
                      Instant createdAt, Instant updatedAt, Instant deletedAt) {
}
