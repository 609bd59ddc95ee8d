package io.hookgate.delivery;

import io.github.resilience4j.core.IntervalFunction;
import io.hookgate.support.Problem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a destination is retried: per-attempt timeout, how many attempts in all, and an exponential backoff with
 * jitter between them. The defaults spread 12 attempts over about 22 hours (5 s, 15 s, 45 s … capped at 6 h).
 */
public record RetryPolicy(int timeoutMs, int maxAttempts, long initialMs, double multiplier, long maxMs) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(10_000, 12, 5_000, 3.0, 6 * 3_600_000L);
    /** A Retry-After longer than this is not waited for; the backoff decides. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final double JITTER = 0.3;

    public RetryPolicy {
        List<Problem.Invalid> problems = problems(timeoutMs, maxAttempts, initialMs, multiplier, maxMs);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
    }

    /** Every setting out of its bounds, so that a form can show them all at once. */
    public static List<Problem.Invalid> problems(int timeoutMs, int maxAttempts, long initialMs, double multiplier, long maxMs) {
        List<Problem.Invalid> problems = new ArrayList<>();
        if (timeoutMs < 100 || timeoutMs > 60_000) {
            problems.add(new Problem.Invalid("timeoutMs", "must be between 100 and 60000"));
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            problems.add(new Problem.Invalid("maxAttempts", "must be between 1 and 100"));
        }
        if (initialMs < 100 || initialMs > 86_400_000L) {
            problems.add(new Problem.Invalid("backoff.initialMs", "must be between 100 and 86400000"));
        }
        if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
            problems.add(new Problem.Invalid("backoff.multiplier", "must be between 1 and 10"));
        }
        if (maxMs < initialMs || maxMs > 7 * 86_400_000L) {
            problems.add(new Problem.Invalid("backoff.maxMs", "must be at least the first retry's wait (backoff.initialMs) and at most 7 days"));
        }
        return problems;
    }

    /** The wait after the {@code attemptsMade}-th failed attempt; a receiver's Retry-After is honoured within bounds. */
    public Duration delayAfter(int attemptsMade, Optional<Duration> retryAfter) {
        long backoff = IntervalFunction.ofExponentialRandomBackoff(initialMs, multiplier, JITTER, maxMs).apply(attemptsMade);
        Duration delay = Duration.ofMillis(backoff);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            Duration asked = retryAfter.get();
            delay = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
        }
        return delay;
    }
}
