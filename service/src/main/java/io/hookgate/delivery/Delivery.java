package io.hookgate.delivery;

import io.hookgate.event.EventId;
import io.hookgate.tenant.TenantId;

import java.time.Instant;

/**
 * One event on its way to one destination. {@code inFlight} while a worker holds it under a lease; {@code paused} while
 * it waits for its destination to be enabled again.
 */
public record Delivery(DeliveryId id, TenantId tenantId, EventId eventId, DestinationId destinationId, String webhookId,
                       DeliveryStatus status, int attempts, Instant nextAttemptAt, boolean inFlight, boolean paused, Integer lastStatusCode,
                       String lastError, Long replayId, Instant createdAt, Instant completedAt) {
}
