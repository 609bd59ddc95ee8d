package io.hookgate.delivery;

/**
 * How many of an event's destinations its latest delivery is in one status: what the events list shows per event.
 * A dead delivery to a destination deleted since is no trouble left to act on, and is told apart.
 */
public record DeliveryTally(long eventId, DeliveryStatus status, boolean destinationDeleted, long count) {

    public String label() {
        return count + " " + status.wireName() + (destinationDeleted ? " (destination deleted)" : "");
    }
}
