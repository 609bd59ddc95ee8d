package io.hookgate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real HTTP receiver on localhost standing in for a tenant's system. It records every request (headers, raw
 * body, arrival time) and answers as the test scripts it: 200, failures, hangs, Retry-After…
 */
public final class TestReceiver implements AutoCloseable {

    /** What the receiver does with the n-th request (1-based). */
    public record Answer(int status, Map<String, String> headers, String body, Duration delay) {
        public static Answer ok() {
            return new Answer(200, Map.of(), "{\"ok\":true}", Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), "{\"error\":\"status " + status + "\"}", Duration.ZERO);
        }

        public static Answer hang(Duration delay) {
            return new Answer(200, Map.of(), "{}", delay);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> all = new HashMap<>(headers);
            all.put(name, value);
            return new Answer(status, all, body, delay);
        }
    }

    /** A request as it arrived. */
    public record Received(Map<String, List<String>> headers, byte[] body, Instant at) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .map(e -> e.getValue().get(0)).orElse(null);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Function<Integer, Answer> script = n -> Answer.ok();

    private TestReceiver(HttpServer server) {
        this.server = server;
    }

    public static TestReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            TestReceiver receiver = new TestReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-receiver");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    /** Answers the n-th request (1-based, counted from now on) with {@code script.apply(n)}. */
    public TestReceiver answering(Function<Integer, Answer> newScript) {
        count.set(0);
        this.script = newScript;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code condition} holds for what was received, or fails after {@code timeout}. */
    public List<Received> await(Predicate<List<Received>> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            List<Received> now = received();
            if (condition.test(now)) {
                return now;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("receiver condition not met within " + timeout + "; received " + received.size() + " requests");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
        Answer answer = script.apply(count.incrementAndGet());
        try {
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(answer.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException clientGone) {
            // the sender timed out and closed the connection
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
