package io.hookgate.delivery;

/** What the circuit breaker records for a failed attempt. */
final class DeliveryFailure extends RuntimeException {
    DeliveryFailure(String summary) {
        super(summary, null, false, false);
    }
}
