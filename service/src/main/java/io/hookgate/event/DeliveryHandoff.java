package io.hookgate.event;

import io.hookgate.tenant.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * How the deliveries that storing an event creates reach the delivery worker. While the worker can start them at once,
 * it lends the ingest a lease: the deliveries are written already held under it, in the event's own transaction, and
 * handed over in memory once committed. That spares each of them a claim (a transaction, a flush and a read of the
 * body back) on their way out. Otherwise they are written due, and the worker is woken to claim them.
 */
public interface DeliveryHandoff {

    /** A lease to write new deliveries under, except those to the destinations left out (at their in-flight limit). */
    record Lease(UUID token, Instant until, long[] destinationsLeftOut) {
    }

    /** A delivery committed under a lease: what the worker needs to send it, with no read of its own. */
    record HeldDelivery(long deliveryId, TenantId tenantId, EventId eventId, long destinationId, String webhookId, EventKind kind,
                        byte[] body, UUID leaseToken, Instant dueAt) {
    }

    /** A lease for the next commit, or none while the worker could not start its deliveries at once. */
    Optional<Lease> offer();

    /** After a commit: the deliveries it wrote under the lease, and whether it also wrote deliveries due to be claimed. */
    void committed(List<HeldDelivery> held, boolean due);
}
