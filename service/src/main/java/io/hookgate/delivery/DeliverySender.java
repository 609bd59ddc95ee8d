package io.hookgate.delivery;

import io.hookgate.support.Version;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Sends one webhook with the JDK's HTTP client (connection pooling, asynchronous, so a hanging receiver holds no
 * thread). The request carries the raw body unchanged and the Standard Webhooks headers.
 */
public final class DeliverySender {

    static final String USER_AGENT = "Hookgate/" + Version.CURRENT;

    private final HttpClient client;
    private final DestinationUrlPolicy urls;
    private final Clock clock;
    private final Duration longestAttempt;

    /** {@code longestAttempt} caps every timeout, so an attempt always ends before its lease does. */
    public DeliverySender(DestinationUrlPolicy urls, Clock clock, Executor executor, Duration longestAttempt) {
        this.urls = urls;
        this.clock = clock;
        this.longestAttempt = longestAttempt;
        this.client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER) // a redirect could lead past the SSRF guard
            .connectTimeout(Duration.ofSeconds(10))
            .executor(executor)
            .build();
    }

    CompletableFuture<AttemptResult> send(SendTarget target, OutgoingWebhook webhook) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        URI url = target.destination().url();
        Optional<String> blocked = urls.blockedReason(url.getHost());
        if (blocked.isPresent()) {
            return CompletableFuture.completedFuture(new AttemptResult(started, 0, null, null, "blocked_address", blocked.get(), Optional.empty()));
        }
        long timestamp = started.getEpochSecond();
        HttpRequest.Builder request;
        try {
            request = request(target, webhook, url, timestamp);
        } catch (IllegalArgumentException e) {
            // a header the HTTP client refuses: fail this attempt rather than throw into the worker (it holds permits)
            return CompletableFuture.completedFuture(new AttemptResult(started, 0, null, null, "invalid_request",
                "a configured header cannot be sent over HTTP", Optional.empty())); // not the message: it quotes the value
        }
        return client.sendAsync(request.build(), info -> new ExcerptSubscriber())
            .handle((response, failure) -> {
                int duration = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
                if (failure == null) {
                    return new AttemptResult(started, duration, response.statusCode(), response.body(), null, null, retryAfter(response));
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                return new AttemptResult(started, duration, null, null, errorKind(cause), describe(cause), Optional.empty());
            });
    }

    private HttpRequest.Builder request(SendTarget target, OutgoingWebhook webhook, URI url, long timestamp) {
        Destination destination = target.destination();
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
            .timeout(min(Duration.ofMillis(destination.retry().timeoutMs()), longestAttempt))
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("webhook-id", webhook.webhookId())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", WebhookSigner.signatures(webhook.webhookId(), timestamp, webhook.body(), target.secrets()))
            .header("X-Hookgate-Tenant", webhook.tenantId().toString())
            .header("X-Hookgate-Event-Kind", webhook.kind().wireName())
            .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()));
        for (Map.Entry<String, String> header : destination.headers().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        return request;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String errorKind(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect_timeout";
            }
            if (t instanceof HttpTimeoutException) {
                return "timeout";
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
        // the JDK wraps a reset in "header parser received no bytes": look for the reset anywhere in the chain first
        if (inChain(cause, t -> String.valueOf(t.getMessage()).contains("Connection reset"))) {
            return "connection_reset";
        }
        if (inChain(cause, t -> t instanceof EOFException || String.valueOf(t.getMessage()).contains("received no bytes"))) {
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
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        if (response.statusCode() != 429 && response.statusCode() != 503) {
            return Optional.empty();
        }
        return response.headers().firstValue("Retry-After").flatMap(DeliverySender::parseRetryAfter);
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
