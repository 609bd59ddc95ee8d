package io.hookgate.delivery;

import io.hookgate.support.CpuLoad;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Paces the delivery worker's claims while AIRUDDER waits too long for its answers: on a saturated machine the
 * answer to AIRUDDER (a 10 s timeout, then retries, then the notification is dropped) comes first, and deliveries
 * wait, durable, in the outbox. The pause doubles while the ingest stays slow and halves once it is fast again; it
 * never exceeds {@link #MAX_PAUSE_MILLIS}, so deliveries keep moving under any load.
 * <p>
 * "Slow" is relative, as in LEDBAT's scavenger transport: an answer average more than twice the lowest one seen in
 * the last minute or two (the ingest's own cost on this machine and disk: mostly the commit's flush), and above
 * a floor. So a slow disk does not make deliveries yield for good. The floor is low ({@link #SATURATED_FLOOR_MILLIS})
 * while the CPUs are saturated, when deliveries do take time from the ingest, and high ({@link #SLOW_FLOOR_MILLIS})
 * otherwise, when a wandering average (a GC pause, a checkpoint) is not deliveries' doing and pausing them would only
 * delay them.
 */
final class YieldToIngest {

    /**
     * Below this average answer time the ingest is never slow, whatever its base: at light load the average wanders
     * past twice its base (a GC pause, a checkpoint) while deliveries cost it nothing, and pausing them then only
     * delays them (at 3 ms, the ack-to-receipt p99 at 200 events/s was 631 ms; at 10 ms, 241 ms).
     */
    static final double SLOW_FLOOR_MILLIS = 15;
    /** The floor while the CPUs are saturated ({@link #SATURATED_CPU_LOAD} or more busy). */
    static final double SATURATED_FLOOR_MILLIS = 3;
    static final double SATURATED_CPU_LOAD = 0.9;
    /** While pausing, claims take at most this many deliveries: a full batch at once is a burst the ingest feels. */
    static final int CLAIM_WHILE_YIELDING = 8;
    static final long FIRST_PAUSE_MILLIS = 5;
    static final long MAX_PAUSE_MILLIS = 500;
    /** The base is the lowest average of the current and the previous window of this length. */
    static final long BASE_WINDOW_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private final DoubleSupplier cpuLoad;
    private long pauseMillis;
    private double previousWindowLowest = Double.MAX_VALUE;
    private double windowLowest = Double.MAX_VALUE;
    private long windowStartNanos;

    YieldToIngest() {
        this(System::nanoTime, new CpuLoad());
    }

    YieldToIngest(LongSupplier nanoTime, DoubleSupplier cpuLoad) {
        this.nanoTime = nanoTime;
        this.cpuLoad = cpuLoad;
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
        if (answerMillis <= SATURATED_FLOOR_MILLIS || answerMillis <= 2 * baseMillis()) {
            return false;
        }
        return answerMillis > SLOW_FLOOR_MILLIS || cpuLoad.getAsDouble() >= SATURATED_CPU_LOAD;
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
