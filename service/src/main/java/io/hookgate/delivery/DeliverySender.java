package io.hookgate.delivery;

import io.dropwizard.lifecycle.Managed;
import io.hookgate.support.Version;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Sends one webhook with Apache HttpClient's asynchronous client: pooled connections, and no thread held by a
 * receiver that hangs. The request carries the raw body unchanged and the Standard Webhooks headers. Every address
 * the client connects to comes from {@link GuardedDnsResolver}, so the SSRF guard sees what the connection uses.
 */
public final class DeliverySender implements Managed {

    static final String USER_AGENT = "Hookgate/" + Version.CURRENT;
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpAsyncClient client;
    /** Ends each attempt at its timeout: the client's own response timeout only bounds the silence between bytes. */
    private final ScheduledThreadPoolExecutor deadlines;
    private final Clock clock;
    private final Duration longestAttempt;

    /**
     * {@code longestAttempt} caps every timeout, so an attempt always ends before its lease does. The pool keeps up
     * to {@code maxConnections} in all and to any one destination, so that it never queues an attempt the worker
     * started: the worker's bulkheads are what limit each destination.
     */
    DeliverySender(GuardedDnsResolver resolver, Clock clock, Duration longestAttempt, int maxConnections) {
        this.clock = clock;
        this.longestAttempt = longestAttempt;
        this.client = HttpAsyncClients.custom()
            .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .useSystemProperties() // the JVM's trust store and TLS settings
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10)).build())
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build())
            .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(2).build()) // two cores; a thread does thousands a second
            .setThreadFactory(new DefaultThreadFactory("delivery-http", true))
            .disableRedirectHandling() // a redirect could lead past the SSRF guard
            .disableAutomaticRetries() // the worker retries, with backoff, and records every attempt
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("delivery-deadline", true));
        deadlines.setRemoveOnCancelPolicy(true); // most attempts end well before their deadline
        client.start();
    }

    /** Ends the client's connections once the worker has stopped (attempts still open fail). */
    @Override
    public void stop() {
        client.close(CloseMode.GRACEFUL);
        deadlines.shutdownNow();
    }

    CompletableFuture<AttemptResult> send(SendTarget target, OutgoingWebhook webhook) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        Destination destination = target.destination();
        if (!destination.headers().values().stream().allMatch(DestinationSettings::sendable)) {
            // e.g. the mask stored in place of a value: fail this attempt rather than throw into the worker (it holds permits)
            return CompletableFuture.completedFuture(new AttemptResult(started, 0, null, null, "invalid_request",
                "a configured header cannot be sent over HTTP", Optional.empty())); // not the value: it may be a secret
        }
        Duration timeout = min(Duration.ofMillis(destination.retry().timeoutMs()), longestAttempt);
        HttpClientContext context = HttpClientContext.create();
        context.setRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        FutureCallback<ExcerptConsumer.Reply> outcome = new FutureCallback<>() {
            @Override
            public void completed(ExcerptConsumer.Reply reply) {
                result.complete(new AttemptResult(started, millisSince(startNanos), reply.status(), reply.excerpt(), null, null,
                    retryAfter(reply.status(), reply.retryAfter())));
            }

            @Override
            public void failed(Exception cause) {
                result.complete(failure(started, startNanos, AttemptErrors.kind(cause), AttemptErrors.describe(cause)));
            }

            @Override
            public void cancelled() { // by the deadline (then the attempt is already complete), or by stop()
                result.complete(failure(started, startNanos, "io", "cancelled: the HTTP client is shutting down"));
            }
        };
        Future<ExcerptConsumer.Reply> exchange;
        try {
            exchange = client.execute(new BasicRequestProducer(request(target, webhook, started.getEpochSecond()),
                new BasicAsyncEntityProducer(webhook.body(), JSON)), new ExcerptConsumer(), context, outcome);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(started, startNanos, "io", AttemptErrors.describe(e))); // e.g. stopped
        }
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            if (result.complete(failure(started, startNanos, "timeout", "no complete answer within " + timeout.toMillis() + " ms"))) {
                exchange.cancel(true); // closes the connection: a slow drip of bytes must not hold it either
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        result.whenComplete((attempt, never) -> deadline.cancel(false));
        return result;
    }

    private static BasicHttpRequest request(SendTarget target, OutgoingWebhook webhook, long timestamp) {
        Destination destination = target.destination();
        BasicHttpRequest request = new BasicHttpRequest(Method.POST, destination.url());
        // Content-Type comes from the body (JSON); Content-Length and Host from the client
        request.addHeader("User-Agent", USER_AGENT);
        request.addHeader("webhook-id", webhook.webhookId());
        request.addHeader("webhook-timestamp", Long.toString(timestamp));
        request.addHeader("webhook-signature", WebhookSigner.signatures(webhook.webhookId(), timestamp, webhook.body(), target.secrets()));
        request.addHeader("X-Hookgate-Tenant", webhook.tenantId().toString());
        request.addHeader("X-Hookgate-Event-Kind", webhook.kind().wireName());
        for (Map.Entry<String, String> header : destination.headers().entrySet()) {
            request.addHeader(header.getKey(), header.getValue());
        }
        return request;
    }

    private static AttemptResult failure(Instant started, long startNanos, String errorKind, String error) {
        return new AttemptResult(started, millisSince(startNanos), null, null, errorKind, error, Optional.empty());
    }

    private static int millisSince(long startNanos) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Seconds or an HTTP date, on 429 and 503 only. */
    static Optional<Duration> retryAfter(int status, String header) {
        if ((status != 429 && status != 503) || header == null) {
            return Optional.empty();
        }
        return parseRetryAfter(header);
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
