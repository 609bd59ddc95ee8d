package io.hookgate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops for 30 s in the middle of steady ingest, then comes back on the same data directory and port.
 * While it is down AIRUDDER gets 503 {@code store_unavailable} (and retries) and the health check says so; once it
 * is back the same running service acknowledges again, and every notification that was ever acknowledged is
 * stored and delivered.
 */
class DatabaseRestartIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    @Test
    void acknowledgedEventsSurviveAThirtySecondPostgresOutageAndIngestRecoversWithoutARestart() throws Exception {
        Path dataDir = Files.createTempDirectory("hookgate-restart-pg");
        int pgPort = freePort();
        EmbeddedPostgres first = postgres(dataDir, pgPort);
        EmbeddedPostgres second = null;
        TestReceiver receiver = TestReceiver.start();
        Map<String, String> settings = HookgateTestApp.settings(first.getJdbcUrl("postgres", "postgres"));
        DropwizardTestSupport<HookgateConfiguration> app = HookgateTestApp.support(settings);
        app.before();
        NotificationLoader loader = null;
        try {
            String base = "http://localhost:" + app.getLocalPort();
            String health = "http://localhost:" + app.getAdminPort() + "/healthcheck";
            Http admin = Http.anonymous(base).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            JsonNode tenant = admin.post("/api/v1/tenants", "{\"name\":\"Restart tenant\"}").json();
            long tenantId = tenant.get("id").asLong();
            String callbackUrl = tenant.get("callbackUrl").asText();
            String url = base + callbackUrl.substring(callbackUrl.indexOf("/hooks/"));
            Http.Reply destination = admin.post("/api/v1/tenants/" + tenantId + "/destinations", Http.json(Map.of(
                "name", "Receiver", "url", receiver.url(), "timeoutMs", 5000,
                "backoff", Map.of("initialMs", 500, "multiplier", 2.0, "maxMs", 2000))));
            assertThat(destination.status()).as("destination: %s", destination).isEqualTo(201);

            loader = new NotificationLoader(url, tenant.get("key").asText(), Duration.ofMillis(50), 32);
            loader.start();
            Thread.sleep(5_000);

            first.close(); // stops PostgreSQL; the data directory stays
            Instant downAt = Instant.now();
            List<Probe> downProbes = new ArrayList<>();
            while (Duration.between(downAt, Instant.now()).compareTo(OUTAGE) < 0) {
                Thread.sleep(2_500);
                downProbes.add(probe(health));
            }
            Instant upAt = Instant.now();
            second = postgres(dataDir, pgPort);
            Instant restartedAt = Instant.now();

            // the running service acknowledges again within 30 s, and its health check turns green
            Optional<NotificationLoader.Result> firstAck = Optional.empty();
            Optional<Instant> healthyAt = Optional.empty();
            Probe lastProbe = null;
            Instant deadline = restartedAt.plusSeconds(30);
            while (Instant.now().isBefore(deadline) && (firstAck.isEmpty() || healthyAt.isEmpty())) {
                firstAck = loader.results().stream().filter(r -> r.status() == 200 && r.sentAt().isAfter(restartedAt))
                    .min(Comparator.comparing(NotificationLoader.Result::completedAt));
                if (healthyAt.isEmpty()) {
                    lastProbe = probe(health);
                    if (lastProbe.status() == 200) {
                        healthyAt = Optional.of(Instant.now());
                    }
                }
                Thread.sleep(250);
            }
            assertThat(firstAck).as("a notification acknowledged within 30 s of PostgreSQL's return, without restarting the service")
                .isPresent();
            assertThat(healthyAt).as("health check green within 30 s of PostgreSQL's return; last: %s", lastProbe).isPresent();
            Thread.sleep(3_000); // a little steady traffic after the recovery
            loader.stop();

            List<NotificationLoader.Result> results = loader.results();
            // requests sent and answered entirely while PostgreSQL was down
            List<NotificationLoader.Result> duringOutage = results.stream()
                .filter(r -> !r.sentAt().isBefore(downAt) && !r.completedAt().isAfter(upAt)).toList();
            assertThat(duringOutage).as("requests made during the outage").hasSizeGreaterThan(20);
            assertThat(duringOutage).as("while PostgreSQL was down, every notification was refused with 503 store_unavailable")
                .allSatisfy(r -> {
                    assertThat(r.status()).as("%s", r).isEqualTo(503);
                    assertThat(r.error()).as("%s", r).isEqualTo("store_unavailable");
                });
            assertThat(results).as("every request of the run was answered 200 or 503 (no 500, no hang)")
                .allSatisfy(r -> assertThat(r.status()).as("%s", r).isIn(200, 503));

            assertThat(downProbes).as("health checks while PostgreSQL was down").isNotEmpty().allSatisfy(p -> {
                assertThat(p.status()).as("%s", p).isNotEqualTo(200);
                assertThat(p.body().path("postgresql").path("healthy").asBoolean(true)).as("postgresql unhealthy in %s", p).isFalse();
            });
            assertThat(probe(health).status()).isEqualTo(200);

            List<NotificationLoader.Result> acked = results.stream().filter(r -> r.status() == 200).toList();
            long ackedBefore = acked.stream().filter(r -> r.completedAt().isBefore(downAt)).count();
            long ackedAfter = acked.stream().filter(r -> r.sentAt().isAfter(upAt)).count();
            assertThat(ackedBefore).as("acknowledged before the outage").isGreaterThan(10);
            assertThat(ackedAfter).as("acknowledged after the outage").isGreaterThan(10);

            List<String> lost = new ArrayList<>();
            for (NotificationLoader.Result r : acked) {
                JsonNode items = admin.get("/api/v1/tenants/" + tenantId + "/events?taskId="
                    + URLEncoder.encode(r.taskId(), StandardCharsets.UTF_8)).json().get("items");
                if (items.size() != 1) {
                    lost.add(r.taskId() + " (" + items.size() + " stored)");
                }
            }
            assertThat(lost).as("acknowledged notifications not stored exactly once").isEmpty();

            Set<String> ackedTaskIds = acked.stream().map(NotificationLoader.Result::taskId).collect(Collectors.toSet());
            List<TestReceiver.Received> received;
            try {
                received = receiver.await(all -> taskIds(all).containsAll(ackedTaskIds), Duration.ofSeconds(60));
            } catch (AssertionError notAll) {
                Set<String> missing = new HashSet<>(ackedTaskIds);
                missing.removeAll(taskIds(receiver.received()));
                throw new AssertionError(missing.size() + " of " + ackedTaskIds.size() + " acknowledged notifications were not delivered "
                    + "within 60 s, e.g. " + missing.stream().limit(5).toList(), notAll);
            }
            Set<String> delivered = taskIds(received);
            delivered.retainAll(ackedTaskIds);

            Map<String, Long> statuses = results.stream().collect(Collectors.groupingBy(r -> String.valueOf(r.status()), TreeMap::new,
                Collectors.counting()));
            System.out.printf("DatabaseRestartIT: sent=%d statuses=%s acked=%d (before outage %d, after %d) refusedWhileDown=%d "
                    + "(503 store_unavailable) lost=%d delivered=%d/%d receivedRequests=%d firstAckAfterRestart=%dms healthyAfterRestart=%dms "
                    + "unhealthyProbesWhileDown=%d/%d outage=%ds%n",
                results.size(), statuses, acked.size(), ackedBefore, ackedAfter, duringOutage.size(), lost.size(), delivered.size(),
                ackedTaskIds.size(), received.size(), Duration.between(restartedAt, firstAck.get().completedAt()).toMillis(),
                Duration.between(restartedAt, healthyAt.get()).toMillis(), downProbes.size(), downProbes.size(),
                Duration.between(downAt, upAt).toSeconds());
        } finally {
            if (loader != null) {
                loader.stop();
            }
            app.after();
            receiver.close();
            if (second != null) {
                second.close();
            }
            first.close();
            deleteRecursively(dataDir);
        }
    }

    /**
     * An embedded PostgreSQL on a data directory that outlives it, set as production's embedded one is: a commit that
     * waits for its flush waits for the disk.
     */
    static EmbeddedPostgres postgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("fsync", "on")
            .start();
    }

    record Probe(Instant at, int status, JsonNode body) {
    }

    private static Probe probe(String url) {
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException notJson) {
                body = JSON.createObjectNode().put("raw", response.body());
            }
            return new Probe(Instant.now(), response.statusCode(), body);
        } catch (IOException e) {
            return new Probe(Instant.now(), -1, JSON.createObjectNode().put("failure", e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> taskIds(List<TestReceiver.Received> received) {
        Set<String> ids = new HashSet<>();
        for (TestReceiver.Received r : received) {
            try {
                JsonNode taskId = JSON.readTree(r.body()).get("TaskID");
                if (taskId != null) {
                    ids.add(taskId.asText());
                }
            } catch (IOException ignored) {
                // not a notification
            }
        }
        return ids;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
