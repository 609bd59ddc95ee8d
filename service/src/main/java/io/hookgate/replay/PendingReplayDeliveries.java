package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;

import java.time.Instant;

/** What a bulk replay still waits for at one destination: how many deliveries, and when the next one is due. */
public record PendingReplayDeliveries(DestinationId destinationId, String destinationName, int deliveries, Instant nextAttemptAt) {
}
