package io.hookgate.delivery;

import io.hookgate.support.CpuLoad;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Paces the delivery worker while AIRUDDER waits too long for its answers: on a saturated machine the answer to
 * AIRUDDER (a 10 s timeout, then retries, then the notification is dropped) comes first, and deliveries wait,
 * durable, in the outbox.
 * <p>
 * The pace is a rate, decided every {@link #DECISION_NANOS}: while the ingest is slow the rate halves, from the rate
 * deliveries were starting at, down to a minimum rate (deliveries never stop); once it is fast again the rate grows
 * by a tenth per decision until it is no limit at all. A rate spreads deliveries evenly, where pauses between full
 * claims let them through in bursts that the ingest felt as its slowest answers.
 * <p>
 * "Slow" is relative, as in LEDBAT's scavenger transport: an answer average more than twice the lowest one seen in
 * the last minute or two (the ingest's own cost on this machine and disk: mostly the commit's flush), and above
 * a floor. So a slow disk does not make deliveries yield for good. The floor is low ({@link #SATURATED_FLOOR_MILLIS})
 * while the CPUs are saturated, when deliveries do take time from the ingest, and high ({@link #SLOW_FLOOR_MILLIS})
 * otherwise, when a wandering average (a GC pause, a checkpoint) is not deliveries' doing and pacing them would only
 * delay them.
 */
final class YieldToIngest {

    /**
     * Below this average answer time the ingest is never slow, whatever its base: at light load the average wanders
     * past twice its base (a GC pause, a checkpoint) while deliveries cost it nothing, and pacing them then only
     * delays them (at 3 ms, the ack-to-receipt p99 at 200 events/s was 631 ms; at 10 ms, 241 ms).
     */
    static final double SLOW_FLOOR_MILLIS = 15;
    /** The floor while the CPUs are saturated ({@link #SATURATED_CPU_LOAD} or more busy). */
    static final double SATURATED_FLOOR_MILLIS = 3;
    /**
     * Saturated well before fully busy: at three quarters busy a runnable request thread or committer already waits
     * for a core much of the time. At half the maximum ingest rate with every event delivered, deliveries let through
     * up to 90% busy kept the machine at 88% and ack p99 at 133 to 359 ms; held back from 75%, 78-82% busy and
     * 60 to 87 ms.
     */
    static final double SATURATED_CPU_LOAD = 0.75;
    static final long DECISION_NANOS = 50_000_000L;
    /**
     * Deliveries per second at the most yielding, unless configured otherwise. Below it, pacing frees the ingest little
     * (here 5-10% of a 2-core machine) and costs every delivery: on a busy machine whose load was not deliveries'
     * doing (the JIT, autovacuum, another process writing gigabytes), a floor of 20/s held 200 events/s of deliveries
     * back for tens of seconds, the backlog grew by 150/s, and the ack-to-receipt p99 was 3 to 17 s; at 250/s, 3 ms.
     * At half the maximum ingest rate the ingest's answer p99 rose from about 20 to 23-26 ms.
     */
    static final double DEFAULT_MIN_RATE = 250;
    /**
     * The rate's growth per decision while the ingest is fast: from the default minimum rate to no limit in 2 s. A
     * quarter per decision (1.4 s from the 20/s minimum of earlier rounds) let deliveries back too soon at half the
     * maximum ingest rate: ack p99 62 to 88 ms, against 29 to 39 ms.
     */
    static final double INCREASE = 1.1;
    /** A rate this high is no pacing: the worker's capacity and the destinations' limits decide. */
    static final double UNPACED_RATE = 10_000;
    /**
     * Deliveries start together, this much of the rate at a time: a claim of a few rows, not one per delivery. Each
     * claim and each record of outcomes is a transaction, and one row each (the worker woke at the first token) made
     * paced deliveries cost PostgreSQL about twice what the ingest of an event does.
     */
    static final long BURST_NANOS = 20_000_000L;
    /** The base is the lowest average of the current and the previous window of this length. */
    static final long BASE_WINDOW_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private final DoubleSupplier cpuLoad;
    private final double minRate;
    private boolean paced;
    private double rate;
    private double tokens;
    private long refilledAt;
    private long decidedAt;
    private long startedSinceDecision;
    private double previousWindowLowest = Double.MAX_VALUE;
    private double windowLowest = Double.MAX_VALUE;
    private long windowStartNanos;

    YieldToIngest(double minRate) {
        this(System::nanoTime, new CpuLoad(), minRate);
    }

    YieldToIngest(LongSupplier nanoTime, DoubleSupplier cpuLoad, double minRate) {
        this.nanoTime = nanoTime;
        this.cpuLoad = cpuLoad;
        this.minRate = minRate;
        this.windowStartNanos = nanoTime.getAsLong();
        this.decidedAt = windowStartNanos - DECISION_NANOS;
    }

    /**
     * How many of {@code wanted} deliveries may start now, given how long AIRUDDER waited for its answers recently
     * (0: no answers lately); when none may, {@link #nanosUntilPermit()} says how long to wait. The caller reports
     * what it started with {@link #started(int)}.
     */
    synchronized int permits(int wanted, double ingestAnswerMillis) {
        long now = nanoTime.getAsLong();
        if (now - decidedAt >= DECISION_NANOS) {
            decide(ingestAnswerMillis, now);
        }
        if (!paced) {
            return wanted;
        }
        tokens = Math.min(burst(), tokens + rate * (now - refilledAt) / 1e9);
        refilledAt = now;
        int whole = (int) Math.floor(tokens);
        return whole >= Math.min(wanted, (int) burst()) ? Math.min(wanted, whole) : 0;
    }

    /** Deliveries that start together while paced: at least one. */
    private double burst() {
        return Math.floor(Math.max(1, rate * BURST_NANOS / 1e9));
    }

    synchronized void started(int count) {
        startedSinceDecision += count;
        if (paced) {
            tokens -= count;
        }
    }

    /** While no delivery may start: the wait until a burst may. */
    synchronized long nanosUntilPermit() {
        return !paced || tokens >= burst() ? 0 : (long) Math.ceil((burst() - tokens) / rate * 1e9);
    }

    private void decide(double answerMillis, long now) {
        if (isSlow(answerMillis, now)) {
            double current = paced ? rate : startedSinceDecision / ((now - decidedAt) / 1e9);
            rate = Math.max(minRate, current / 2);
            if (!paced) {
                paced = true;
                tokens = 0;
                refilledAt = now;
            }
        } else if (paced) {
            rate *= INCREASE;
            paced = rate < UNPACED_RATE;
        }
        startedSinceDecision = 0;
        decidedAt = now;
    }

    private boolean isSlow(double answerMillis, long now) {
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

    /** How busy the CPUs were lately (0 to 1), as the pace reads it. */
    double cpuLoad() {
        return cpuLoad.getAsDouble();
    }

    /** Deliveries per second allowed; 0 while not pacing. */
    synchronized double ratePerSecond() {
        return paced ? rate : 0;
    }

    /** The time between two deliveries' starts while pacing, in milliseconds; 0 while not pacing. */
    synchronized long currentPauseMillis() {
        return paced ? Math.round(1000 / rate) : 0;
    }
}
