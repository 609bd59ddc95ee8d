package io.hookgate.delivery;

/**
 * Paces the delivery worker's claims while AIRUDDER waits too long for its answers: on a saturated machine the
 * answer to AIRUDDER (a 10 s timeout, then retries, then the notification is dropped) comes first, and deliveries
 * wait, durable, in the outbox. The pause doubles while the ingest stays slow and halves once it is fast again; it
 * never exceeds {@link #MAX_PAUSE_MILLIS}, so deliveries keep moving under any load.
 */
final class YieldToIngest {

    /** Above this average answer time the ingest is losing against deliveries (its p99 target is 50 ms). */
    static final double SLOW_INGEST_MILLIS = 15;
    static final long FIRST_PAUSE_MILLIS = 5;
    static final long MAX_PAUSE_MILLIS = 500;

    private long pauseMillis;

    /** The pause before the next claim, given how long AIRUDDER waited for its answers recently. */
    synchronized long nextPauseMillis(double ingestAnswerMillis) {
        if (ingestAnswerMillis > SLOW_INGEST_MILLIS) {
            pauseMillis = pauseMillis == 0 ? FIRST_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        } else {
            pauseMillis = pauseMillis <= FIRST_PAUSE_MILLIS ? 0 : pauseMillis / 2;
        }
        return pauseMillis;
    }

    synchronized long currentPauseMillis() {
        return pauseMillis;
    }
}
