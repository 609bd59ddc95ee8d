package io.hookgate.delivery;

import java.util.function.LongSupplier;

/**
 * Paces the delivery worker's claims while AIRUDDER waits too long for its answers: on a saturated machine the
 * answer to AIRUDDER (a 10 s timeout, then retries, then the notification is dropped) comes first, and deliveries
 * wait, durable, in the outbox. The pause doubles while the ingest stays slow and halves once it is fast again; it
 * never exceeds {@link #MAX_PAUSE_MILLIS}, so deliveries keep moving under any load.
 * <p>
 * "Slow" is relative, as in LEDBAT's scavenger transport: an answer average more than twice the lowest one seen in
 * the last minute or two (the ingest's own cost on this machine and disk: mostly the commit's flush), and above
 * {@link #SLOW_FLOOR_MILLIS}. So a slow disk does not make deliveries yield for good.
 */
final class YieldToIngest {

    /**
     * Below this average answer time the ingest is never slow, whatever its base: at light load the average wanders
     * past twice its base (a GC pause, a checkpoint) while deliveries cost it nothing, and pausing them then only
     * delays them (at 3 ms, the ack-to-receipt p99 at 200 events/s was 631 ms; at 10 ms, 241 ms).
     */
    static final double SLOW_FLOOR_MILLIS = 15;
    /** While pausing, claims take at most this many deliveries: a full batch at once is a burst the ingest feels. */
    static final int CLAIM_WHILE_YIELDING = 8;
    static final long FIRST_PAUSE_MILLIS = 5;
    static final long MAX_PAUSE_MILLIS = 500;
    /** The base is the lowest average of the current and the previous window of this length. */
    static final long BASE_WINDOW_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private long pauseMillis;
    private double previousWindowLowest = Double.MAX_VALUE;
    private double windowLowest = Double.MAX_VALUE;
    private long windowStartNanos;

    YieldToIngest() {
        this(System::nanoTime);
    }

    YieldToIngest(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStartNanos = nanoTime.getAsLong();
    }

    /** The pause before the next claim, given how long AIRUDDER waited for its answers recently (0: no answers lately). */
    synchronized long nextPauseMillis(double ingestAnswerMillis) {
        if (isSlow(ingestAnswerMillis)) {
            pauseMillis = pauseMillis == 0 ? FIRST_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        } else {
            pauseMillis = pauseMillis <= FIRST_PAUSE_MILLIS ? 0 : pauseMillis / 2;
        }
        return pauseMillis;
    }

    private boolean isSlow(double answerMillis) {
        long now = nanoTime.getAsLong();
        if (now - windowStartNanos >= BASE_WINDOW_NANOS) {
            previousWindowLowest = windowLowest;
            windowLowest = Double.MAX_VALUE;
            windowStartNanos = now;
        }
        if (answerMillis <= 0) {
            return false; // idle: nothing to yield to, and no measure of the ingest's cost
        }
        windowLowest = Math.min(windowLowest, answerMillis);
        return answerMillis > Math.max(SLOW_FLOOR_MILLIS, 2 * baseMillis());
    }

    /** The ingest's own answer time lately: the lowest average of the current and the previous window. */
    synchronized double baseMillis() {
        double lowest = Math.min(windowLowest, previousWindowLowest);
        return lowest == Double.MAX_VALUE ? 0 : lowest;
    }

    synchronized long currentPauseMillis() {
        return pauseMillis;
    }
}
