package io.hookgate.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.hookgate.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The jar run with config-json-logs.yml, as README tells an operator whose log shipper reads JSON. */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONFIG = HookgateTestApp.CONFIG.resolveSibling("config-json-logs.yml");

    @Test
    void everyLineIsAJsonObjectAndTheLinesAboutADeliveryOrACircuitCarryItsIds() throws Exception {
        // accepted callbacks in the request log too, as an operator may choose
        Map<String, String> env = ServiceProcess.freshEnvironment(Map.of("HOOKGATE_LOG_ACCEPTED_CALLBACKS", "true"));
        String log;
        String token;
        long tenantId;
        JsonNode letter;
        long destinationId;
        try (ServiceProcess service = ServiceProcess.start(CONFIG, env)) {
            Http admin = service.admin();
            JsonNode tenant = admin.post("/api/v1/tenants", "{\"name\":\"Logged in JSON\"}").json();
            tenantId = tenant.get("id").asLong();
            String callbackUrl = tenant.get("callbackUrl").asText();
            token = callbackUrl.substring(callbackUrl.lastIndexOf('/') + 1);
            Http.Reply destination = admin.post("/api/v1/tenants/" + tenantId + "/destinations",
                Http.json(Map.of("name", "Nobody listens", "url", "http://127.0.0.1:" + closedPort() + "/hook", "maxAttempts", 5,
                    "backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100))));
            assertThat(destination.status()).as(destination.toString()).isEqualTo(201);
            destinationId = destination.json().get("id").asLong();

            Http airudder = Http.anonymous(service.baseUrl());
            String path = callbackUrl.substring(callbackUrl.indexOf("/hooks/"));
            assertThat(airudder.postBytes(path, AirudderPayloads.signedSeed(tenant.get("key").asText())).status()).isEqualTo(200);
            letter = awaitDeadLetter(admin, tenantId);
            service.close(); // SIGTERM: the asynchronous appenders write what they hold
            log = service.log();
        }

        List<JsonNode> lines = new ArrayList<>();
        List<String> notJson = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (!line.isBlank()) {
                parse(line).ifPresentOrElse(lines::add, () -> notJson.add(line));
            }
        }
        assertThat(notJson).as("lines that are not a JSON object").isEmpty();
        assertThat(lines).as("lines logged").hasSizeGreaterThan(10);
        assertThat(log).as("the callback token").doesNotContain(token);

        JsonNode dead = lines.stream().filter(l -> l.path("message").asText().contains("is a dead letter")).findFirst()
            .orElseThrow(() -> new AssertionError("no line about the dead letter in:\n" + log));
        assertThat(dead.at("/mdc/tenantId").asText()).isEqualTo(String.valueOf(tenantId));
        assertThat(dead.at("/mdc/eventId").asText()).isEqualTo(letter.get("eventId").asText());
        assertThat(dead.at("/mdc/deliveryId").asText()).isNotEmpty();
        JsonNode retried = lines.stream().filter(l -> l.path("message").asText().contains("attempt 1 of 5 failed")).findFirst()
            .orElseThrow(() -> new AssertionError("no line about the failed first attempt in:\n" + log));
        assertThat(retried.path("level").asText()).as("seen at the default level, from the first failure").isEqualTo("INFO");
        assertThat(retried.at("/mdc/deliveryId").asText()).isEqualTo(dead.at("/mdc/deliveryId").asText());
        assertThat(retried.path("message").asText()).contains("connect").contains("next attempt at");
        JsonNode opened = lines.stream().filter(l -> l.path("message").asText().contains("circuit of destination " + destinationId + " is now open"))
            .findFirst().orElseThrow(() -> new AssertionError("no line about the circuit opening after 5 failures in:\n" + log));
        assertThat(opened.at("/mdc/destinationId").asText()).isEqualTo(String.valueOf(destinationId));

        String masked = "/hooks/…" + token.substring(token.length() - 4);
        assertThat(lines).as("the request log's line for the callback, in JSON")
            .anyMatch(l -> "POST".equals(l.path("method").asText()) && l.toString().contains(masked) && l.path("status").asInt() == 200);
    }

    private static Optional<JsonNode> parse(String line) {
        try {
            return Optional.of(JSON.readTree(line)).filter(JsonNode::isObject);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static JsonNode awaitDeadLetter(Http admin, long tenantId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = admin.get("/api/v1/dead-letters?tenantId=" + tenantId).json().get("items");
            if (items.size() > 0) {
                return items.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no dead letter within 30 s");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
