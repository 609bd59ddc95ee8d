package io.hookgate.delivery;

import java.time.Instant;

/** A recorded attempt: when, how long, and what came back (a status and response excerpt, or an error). */
public record Attempt(long id, DeliveryId deliveryId, Instant attemptedAt, int durationMs, Integer statusCode,
                      String responseExcerpt, String errorKind, String error) {
}
