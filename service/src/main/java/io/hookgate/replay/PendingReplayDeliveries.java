package io.hookgate.replay;

import io.hookgate.delivery.DestinationId;

import java.time.Instant;

/**
 * What a bulk replay still waits for at one destination: how many deliveries, when the next one is due, whether the
 * destination is enabled and its circuit (a disabled destination, or a circuit other than closed, holds them back).
 */
public record PendingReplayDeliveries(DestinationId destinationId, String destinationName, int deliveries, Instant nextAttemptAt,
                                      boolean enabled, String circuit) {
}
