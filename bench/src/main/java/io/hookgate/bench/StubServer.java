package io.hookgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Hookgate's tenant and ingest contract, for checking the generator without the
 * service (and for measuring client overhead). Not a benchmark target.
 *
 * <pre>java -cp bench/target/hookgate-bench.jar io.hookgate.bench.StubServer [port] [threads]</pre>
 *
 * Accepts any Basic credentials on POST /api/v1/tenants, verifies Sign = md5hex(TaskID + KEY) and
 * the Details shape on POST /hooks/{token}, rejects duplicate TaskIDs and CallIDs with 409 (so the
 * generator's uniqueness is checked too), and answers GET /healthcheck.
 */
public final class StubServer {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        // Without this the JDK server's Nagle + the client's delayed ACK add ~40 ms per exchange.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ObjectMapper om = new ObjectMapper();
        Map<String, String> keys = new ConcurrentHashMap<>();
        Set<String> taskIds = ConcurrentHashMap.newKeySet();
        Set<String> callIds = ConcurrentHashMap.newKeySet();
        AtomicLong accepted = new AtomicLong(), rejected = new AtomicLong(), details = new AtomicLong();
        SecureRandom sr = new SecureRandom();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/healthcheck", ex -> send(ex, 200, "{}"));
        server.createContext("/api/v1/tenants", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(ex.getRequestMethod()) || auth == null || !auth.startsWith("Basic ")) {
                send(ex, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            JsonNode req = om.readTree(in);
            byte[] k = new byte[24];
            sr.nextBytes(k);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(k);
            String token = UUID.randomUUID().toString().replace("-", "");
            keys.put(token, key);
            String resp = om.writeValueAsString(Map.of(
                    "id", UUID.randomUUID().toString(), "name", req.path("name").asText(), "status", "active",
                    "callbackUrl", "http://localhost:8080/hooks/" + token, "key", key,
                    "createdAt", java.time.Instant.now().toString()));
            send(ex, 201, resp);
        });
        server.createContext("/hooks/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            String token = ex.getRequestURI().getPath().substring("/hooks/".length());
            String key = keys.get(token);
            if (key == null) {
                rejected.incrementAndGet();
                send(ex, 404, "{\"error\":\"unknown token\"}");
                return;
            }
            JsonNode b;
            try {
                b = om.readTree(in);
            } catch (IOException e) {
                rejected.incrementAndGet();
                send(ex, 400, "{\"error\":\"bad json\"}");
                return;
            }
            String taskId = b.path("TaskID").asText();
            String sign = b.path("Sign").asText();
            JsonNode ds = b.path("Details");
            if (taskId.length() != 32 || !PayloadFactory.md5Hex(taskId + key).equals(sign)) {
                rejected.incrementAndGet();
                send(ex, 401, "{\"error\":\"bad sign\"}");
                return;
            }
            if (!ds.isArray() || ds.size() < 1 || ds.size() > 5 || !taskIds.add(taskId)) {
                rejected.incrementAndGet();
                send(ex, 409, "{\"error\":\"bad details or duplicate TaskID\"}");
                return;
            }
            for (JsonNode d : ds) {
                if (!callIds.add(d.path("CallID").asText()) || d.path("CaseID").asText().isEmpty()
                        || !d.path("CalleeNumber").asText().startsWith("+")) {
                    rejected.incrementAndGet();
                    send(ex, 409, "{\"error\":\"duplicate CallID or bad detail\"}");
                    return;
                }
            }
            details.addAndGet(ds.size());
            accepted.incrementAndGet();
            send(ex, 200, "{}");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
                "stub: accepted %d, rejected %d, details %d%n", accepted.get(), rejected.get(), details.get())));
        server.start();
        System.err.println("stub listening on 127.0.0.1:" + port);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
