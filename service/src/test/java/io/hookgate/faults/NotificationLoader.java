package io.hookgate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.testing.AirudderPayloads;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Posts a unique signed notification every {@code period}, without waiting for earlier answers (at most
 * {@code maxInFlight} of them), and records what came back for each: AIRUDDER's traffic during a fault.
 */
final class NotificationLoader {

    /** A notification sent and what came back: status (-1 when no answer came), {@code error} of the body, when. */
    record Result(String taskId, Instant sentAt, Instant completedAt, int status, String error) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final String url;
    private final String key;
    private final Duration period;
    private final int maxInFlight;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    NotificationLoader(String url, String key, Duration period, int maxInFlight) {
        this.url = url;
        this.key = key;
        this.period = period;
        this.maxInFlight = maxInFlight;
    }

    void start() {
        timer.scheduleAtFixedRate(this::sendOne, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sendOne() {
        if (inFlight.get() >= maxInFlight) {
            return;
        }
        int n = sent.incrementAndGet();
        String taskId = "load-" + n + "-" + Long.toHexString(System.nanoTime());
        ObjectNode payload = AirudderPayloads.seed();
        payload.put("TaskID", taskId);
        ((ObjectNode) ((ArrayNode) payload.get("Details")).get(0)).put("CallID", "call-" + taskId);
        byte[] body = AirudderPayloads.signed(payload, key);
        Instant sentAt = Instant.now();
        inFlight.incrementAndGet();
        CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> {
                inFlight.decrementAndGet();
                if (failure != null) {
                    results.add(new Result(taskId, sentAt, Instant.now(), -1, failure.toString()));
                } else {
                    results.add(new Result(taskId, sentAt, Instant.now(), response.statusCode(), errorOf(response.body())));
                }
            });
    }

    /** Stops sending, and waits up to 25 s for the answers still due. */
    void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        Instant deadline = Instant.now().plusSeconds(25);
        while (inFlight.get() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    private static String errorOf(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.has("error") ? json.get("error").asText() : null;
        } catch (IOException e) {
            return "not JSON: " + body;
        }
    }
}
