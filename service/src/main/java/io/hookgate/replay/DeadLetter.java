package io.hookgate.replay;

import io.hookgate.delivery.DeliveryId;
import io.hookgate.delivery.DestinationId;
import io.hookgate.event.EventId;
import io.hookgate.tenant.TenantId;

import java.time.Instant;

/**
 * A delivery whose every attempt failed. Replaying it creates a new delivery; the dead letter stays, marked. One whose
 * destination was deleted has nowhere to go: it is kept for the record, no longer waiting.
 */
public record DeadLetter(long id, TenantId tenantId, DeliveryId deliveryId, EventId eventId, DestinationId destinationId,
                         int attempts, Integer lastStatusCode, String lastError, Instant deadAt, Instant replayedAt,
                         String replayedBy, DeliveryId replayDeliveryId, String taskId, boolean destinationDeleted) {

    /** Whether a replay can still send it. */
    public boolean waiting() {
        return replayedAt == null && !destinationDeleted;
    }
}
