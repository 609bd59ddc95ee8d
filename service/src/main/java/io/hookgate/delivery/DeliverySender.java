package io.hookgate.delivery;

import io.dropwizard.lifecycle.Managed;
import io.hookgate.support.Version;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Sends one webhook with Jetty's HTTP client (connection pooling, asynchronous, so a hanging receiver holds no
 * thread; every new connection's addresses pass the SSRF guard). The request carries the raw body unchanged and the
 * Standard Webhooks headers.
 */
public final class DeliverySender implements Managed {

    static final String USER_AGENT = "Hookgate/" + Version.CURRENT;
    private static final long DNS_TIMEOUT_MS = 5_000;
    private static final long IDLE_CONNECTION_MS = 30_000;

    private final HttpClient client;
    private final Clock clock;
    private final Duration longestAttempt;

    /**
     * {@code longestAttempt} caps every timeout, so an attempt always ends before its lease does; {@code maxInFlight}
     * is the most attempts the callers run at once, so none waits in the client's queue for a connection.
     */
    public DeliverySender(DestinationUrlPolicy urls, Clock clock, Duration longestAttempt, int maxInFlight) {
        this(urls, clock, longestAttempt, maxInFlight, null);
    }

    /** With {@code dns} in place of the system's resolver (tests: a name that resolves differently than when it was saved). */
    DeliverySender(DestinationUrlPolicy urls, Clock clock, Duration longestAttempt, int maxInFlight, SocketAddressResolver dns) {
        this.clock = clock;
        this.longestAttempt = longestAttempt;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("delivery-http");
        threads.setDaemon(true);
        ScheduledExecutorScheduler timeouts = new ScheduledExecutorScheduler("delivery-http-timeouts", true);
        client = new HttpClient();
        client.setExecutor(threads);
        client.setScheduler(timeouts);
        client.setSocketAddressResolver(new GuardedAddressResolver(
            dns != null ? dns : new SocketAddressResolver.Async(threads, timeouts, DNS_TIMEOUT_MS), urls));
        client.setFollowRedirects(false); // a redirect could lead past the SSRF guard
        client.setHttpCookieStore(new HttpCookieStore.Empty()); // a receiver's cookies must not travel with other tenants' webhooks
        client.setConnectTimeout(10_000);
        client.setIdleTimeout(IDLE_CONNECTION_MS); // a pooled connection that a NAT dropped silently is not kept for ever
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        client.setMaxConnectionsPerDestination(maxInFlight);
        client.setMaxRequestsQueuedPerDestination(maxInFlight);
    }

    @Override
    public void start() throws Exception {
        client.start();
    }

    @Override
    public void stop() throws Exception {
        client.stop();
    }

    CompletableFuture<AttemptResult> send(SendTarget target, OutgoingWebhook webhook) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        request(target, webhook, started.getEpochSecond()).send(new ExcerptListener((response, excerpt, failure) -> {
            int duration = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
            result.complete(failure == null
                ? new AttemptResult(started, duration, response.getStatus(), excerpt, null, null, retryAfter(response))
                : failed(started, duration, failure));
        }));
        return result;
    }

    private static AttemptResult failed(Instant started, int duration, Throwable failure) {
        String kind = errorKind(failure);
        // Jetty's messages name its exceptions and internals (a reset reads as an end of input): say what happened
        String error = switch (kind) {
            case "connection_closed" -> "the receiver closed or reset the connection before a complete answer";
            case "connection_refused" -> "the receiver refused the connection (nothing listens on that port)";
            case "timeout" -> "no complete answer within the destination's timeout (" + duration + " ms)";
            case "connect_timeout" -> "could not connect within the destination's timeout (" + duration + " ms)";
            default -> describe(failure);
        };
        return new AttemptResult(started, duration, null, null, kind, error, Optional.empty());
    }

    private Request request(SendTarget target, OutgoingWebhook webhook, long timestamp) {
        Destination destination = target.destination();
        URI url = destination.url();
        String signature = WebhookSigner.signatures(webhook.webhookId(), timestamp, webhook.body(), target.secrets());
        long timeoutMs = min(Duration.ofMillis(destination.retry().timeoutMs()), longestAttempt).toMillis();
        return client.newRequest(url)
            .method(HttpMethod.POST)
            .timeout(timeoutMs, TimeUnit.MILLISECONDS)
            .idleTimeout(Math.max(timeoutMs, IDLE_CONNECTION_MS) + 1_000, TimeUnit.MILLISECONDS) // the attempt's timeout decides, not idleness
            .headers(headers -> {
                headers.put("webhook-id", webhook.webhookId());
                headers.put("webhook-timestamp", Long.toString(timestamp));
                headers.put("webhook-signature", signature);
                headers.put("X-Hookgate-Tenant", webhook.tenantId().toString());
                headers.put("X-Hookgate-Event-Kind", webhook.kind().wireName());
                for (Map.Entry<String, String> header : destination.headers().entrySet()) {
                    headers.put(header.getKey(), header.getValue());
                }
            })
            .body(new BytesRequestContent("application/json", webhook.body()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String errorKind(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof GuardedAddressResolver.BlockedAddressException) {
                return "blocked_address";
            }
            if (t instanceof SocketTimeoutException) {
                return "connect_timeout"; // Jetty's "Connect Timeout"
            }
            if (t instanceof TimeoutException) {
                return String.valueOf(t.getMessage()).startsWith("DNS") ? "dns" : "timeout";
            }
            if (t instanceof ConnectException) {
                return "connection_refused";
            }
            if (t instanceof SSLException) {
                return "tls";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "dns";
            }
        }
        // a reset may come wrapped: look for it anywhere in the chain first
        if (inChain(cause, t -> String.valueOf(t.getMessage()).contains("Connection reset"))) {
            return "connection_reset";
        }
        if (inChain(cause, t -> t instanceof EOFException)) {
            return "connection_closed"; // closed before a complete answer
        }
        return "io";
    }

    private static boolean inChain(Throwable cause, Predicate<Throwable> test) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String text = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    /** Seconds or an HTTP date, on 429 and 503 only. */
    static Optional<Duration> retryAfter(Response response) {
        if (response.getStatus() != 429 && response.getStatus() != 503) {
            return Optional.empty();
        }
        return Optional.ofNullable(response.getHeaders().get(HttpHeader.RETRY_AFTER)).flatMap(DeliverySender::parseRetryAfter);
    }

    static Optional<Duration> parseRetryAfter(String value) {
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Optional.of(Duration.ZERO) : Optional.of(until);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }
}
