package io.hookgate.ingest;

import java.util.function.LongSupplier;

/**
 * How long AIRUDDER has recently waited for its answers. The delivery worker reads this and yields the machine to
 * the ingest while it grows: the answer has a deadline (AIRUDDER's 10 s, then retries, then the notification is
 * dropped), a delivery waits durably in the outbox.
 */
public final class IngestLoad {

    /** Without requests for this long the ingest is idle, whatever the last answers took. */
    private static final long IDLE_AFTER_NANOS = 1_000_000_000L;
    /** The weight of each answer in the moving average: about the last fifty count. */
    private static final double WEIGHT = 0.02;

    private final LongSupplier nanoTime;
    private double averageMillis;
    private long lastAnswerNanos;
    private boolean any;

    public IngestLoad() {
        this(System::nanoTime);
    }

    IngestLoad(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A notification was answered this long after its request arrived. */
    synchronized void answered(long tookNanos) {
        double millis = tookNanos / 1e6;
        averageMillis = any ? averageMillis + WEIGHT * (millis - averageMillis) : millis;
        any = true;
        lastAnswerNanos = nanoTime.getAsLong();
    }

    /** A moving average of recent answer times, in milliseconds; 0 when the ingest is idle. */
    public synchronized double recentAnswerMillis() {
        if (!any || nanoTime.getAsLong() - lastAnswerNanos > IDLE_AFTER_NANOS) {
            return 0;
        }
        return averageMillis;
    }
}
