package io.hookgate.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one HTTP attempt. {@code errorKind}, one of {@link #ERROR_KINDS}, is set when no response came;
 * success is any 2xx.
 */
public record AttemptResult(Instant startedAt, int durationMs, Integer statusCode, String responseExcerpt, String errorKind,
                            String error, Optional<Duration> retryAfter) {

    /**
     * Why no answer came: connection_reset while sending, connection_closed when closed or reset before a complete
     * answer, io for anything else. Support filters dead letters by these names.
     */
    public static final List<String> ERROR_KINDS = List.of("timeout", "connect_timeout", "connection_refused", "connection_reset",
        "connection_closed", "tls", "dns", "blocked_address", "io");

    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    /** A one-line description for lists: "HTTP 503" or "timeout: …". */
    public String summary() {
        if (statusCode != null) {
            return "HTTP " + statusCode;
        }
        return errorKind + (error == null ? "" : ": " + error);
    }
}
