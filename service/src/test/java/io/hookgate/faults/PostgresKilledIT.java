package io.hookgate.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL is killed outright in the middle of steady ingest (SIGKILL of the postmaster and of every backend, so
 * whatever sat in its memory is gone, as in a crash), then started again on the same data directory, which replays
 * its WAL. Every notification answered 200 before the kill is there afterwards, exactly once: no answer goes out
 * before its commit has waited for the WAL flush.
 */
class PostgresKilledIT {

    @Test
    void everyAcknowledgedNotificationSurvivesPostgresBeingKilledMidIngest() throws Exception {
        Path dataDir = Files.createTempDirectory("hookgate-killed-pg");
        int pgPort = DatabaseRestartIT.freePort();
        EmbeddedPostgres first = DatabaseRestartIT.postgres(dataDir, pgPort);
        EmbeddedPostgres second = null;
        DropwizardTestSupport<HookgateConfiguration> app =
            HookgateTestApp.support(HookgateTestApp.settings(first.getJdbcUrl("postgres", "postgres")));
        app.before();
        NotificationLoader loader = null;
        try {
            String base = "http://localhost:" + app.getLocalPort();
            Http admin = Http.anonymous(base).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            JsonNode tenant = admin.post("/api/v1/tenants", "{\"name\":\"Killed database tenant\"}").json();
            long tenantId = tenant.get("id").asLong();
            String callbackUrl = tenant.get("callbackUrl").asText();
            // as fast as the service takes them: many commits in the last moments before the kill
            loader = new NotificationLoader(base + callbackUrl.substring(callbackUrl.indexOf("/hooks/")),
                tenant.get("key").asText(), Duration.ofMillis(1), 32);
            loader.start();
            Thread.sleep(4_000);

            Instant killedAt = Instant.now();
            kill(dataDir);
            closeQuietly(first); // lets go of its lock on the data directory
            second = DatabaseRestartIT.postgres(dataDir, pgPort);
            Instant restartedAt = Instant.now();
            Instant deadline = restartedAt.plusSeconds(30);
            while (Instant.now().isBefore(deadline) && loader.results().stream()
                .noneMatch(r -> r.status() == 200 && r.sentAt().isAfter(restartedAt))) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000);
            loader.stop();

            List<NotificationLoader.Result> results = loader.results();
            List<NotificationLoader.Result> acked = results.stream().filter(r -> r.status() == 200).toList();
            long ackedBeforeKill = acked.stream().filter(r -> r.completedAt().isBefore(killedAt)).count();
            assertThat(ackedBeforeKill).as("acknowledged before the kill").isGreaterThan(100);
            assertThat(acked).as("acknowledged after the restart, without restarting the service")
                .anyMatch(r -> r.sentAt().isAfter(restartedAt));
            assertThat(results).as("every request was answered 200 or 503 store_unavailable").allSatisfy(r -> {
                assertThat(r.status()).as("%s", r).isIn(200, 503);
                if (r.status() == 503) {
                    assertThat(r.error()).as("%s", r).isEqualTo("store_unavailable");
                }
            });

            Map<String, Integer> stored = storedTaskIds(second, tenantId);
            List<String> lost = acked.stream().map(NotificationLoader.Result::taskId)
                .filter(taskId -> stored.getOrDefault(taskId, 0) != 1)
                .map(taskId -> taskId + " (" + stored.getOrDefault(taskId, 0) + " stored)").toList();
            assertThat(lost).as("acknowledged notifications not stored exactly once after the crash").isEmpty();

            Map<Integer, Long> statuses = results.stream()
                .collect(Collectors.groupingBy(NotificationLoader.Result::status, TreeMap::new, Collectors.counting()));
            System.out.printf("PostgresKilledIT: sent=%d statuses=%s acked=%d (before the kill %d) stored=%d lost=%d%n",
                results.size(), statuses, acked.size(), ackedBeforeKill, stored.size(), lost.size());
        } finally {
            if (loader != null) {
                loader.stop();
            }
            app.after();
            if (second != null) {
                second.close();
            }
            closeQuietly(first);
            DatabaseRestartIT.deleteRecursively(dataDir);
        }
    }

    /** SIGKILL to the postmaster and to every process it started, then waits until all are gone. */
    private static void kill(Path dataDir) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(0, postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Integer> storedTaskIds(EmbeddedPostgres postgres, long tenantId) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             PreparedStatement s = c.prepareStatement("select task_id, count(*) from events where tenant_id = ? group by task_id")) {
            s.setLong(1, tenantId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return counts;
    }

    private static void closeQuietly(EmbeddedPostgres killed) {
        try {
            killed.close();
        } catch (IOException | RuntimeException e) {
            // already gone: it was killed
        }
    }
}
