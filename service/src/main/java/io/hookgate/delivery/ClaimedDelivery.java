package io.hookgate.delivery;

import io.hookgate.event.EventId;
import io.hookgate.event.EventKind;
import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.UUID;

/** A due delivery this worker holds under a lease, with the event body it sends and since when it was due. */
record ClaimedDelivery(DeliveryId id, TenantId tenantId, EventId eventId, DestinationId destinationId, String webhookId,
                       int attempts, EventKind kind, byte[] body, UUID leaseToken, Instant dueAt) {
}
