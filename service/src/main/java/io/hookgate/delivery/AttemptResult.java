package io.hookgate.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of one HTTP attempt. {@code errorKind} is set when no response came (timeout, connect_timeout, connection_refused,
 * connection_reset (while sending), connection_closed (closed or reset before a complete answer), tls, dns, blocked_address, io);
 * success is any 2xx.
 */
public record AttemptResult(Instant startedAt, int durationMs, Integer statusCode, String responseExcerpt, String errorKind,
                            String error, Optional<Duration> retryAfter) {

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
