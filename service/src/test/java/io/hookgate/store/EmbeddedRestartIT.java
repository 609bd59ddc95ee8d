package io.hookgate.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.hookgate.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The zero-setup default keeps everything in its data dir across restarts, clean ones and SIGKILLs alike. */
class EmbeddedRestartIT {

    @Test
    void restartWithTheSameDataDirKeepsEveryEventAndKey() throws Exception {
        Path dataDir = HookgateTestApp.tempDir();
        HookgateTestApp.TestTenant tenant;
        DropwizardTestSupport<HookgateConfiguration> first = embeddedApp(dataDir);
        first.before();
        try {
            tenant = createTenant(first);
            Http airudder = Http.anonymous(base(first));
            for (int i = 0; i < 3; i++) {
                assertThat(airudder.postBytes(localUrl(first, tenant), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            }
            assertThat(setting(dataDir, "synchronous_commit")).as("a 200 must survive a crash").isEqualTo("on");
            assertThat(setting(dataDir, "fsync")).isEqualTo("on");
            assertThat(postgresLog(dataDir)).as("PostgreSQL's own log, for operators").contains("database system is ready to accept connections");
        } finally {
            first.after();
        }
        assertThat(Files.exists(dataDir.resolve("pg/postmaster.pid"))).as("the embedded server stopped with the service").isFalse();

        DropwizardTestSupport<HookgateConfiguration> second = embeddedApp(dataDir);
        second.before();
        try {
            Http admin = Http.anonymous(base(second)).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).hasSize(3);
            // the master key generated into the data dir still opens the stored KEY
            assertThat(Http.anonymous(base(second)).postBytes(localUrl(second, tenant),
                AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
        } finally {
            second.after();
        }
    }

    @Test
    void startAfterASigkillTakesOverTheDataDirTheDeadProcessLeftRunning() throws Exception {
        Path dataDir = HookgateTestApp.tempDir();
        HookgateTestApp.TestTenant tenant;
        try (ServiceProcess crashed = ServiceProcess.start(Map.of("HOOKGATE_DATA_DIR", dataDir.toString()))) {
            JsonNode created = crashed.admin().post("/api/v1/tenants", "{\"name\":\"Crash tenant\"}").json();
            tenant = new HookgateTestApp.TestTenant(created.get("id").asLong(), created.get("key").asText(), created.get("callbackUrl").asText());
            String url = crashed.baseUrl() + tenant.callbackUrl().substring(tenant.callbackUrl().indexOf("/hooks/"));
            assertThat(Http.anonymous(crashed.baseUrl()).postBytes(url, AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);
            crashed.kill();
        }
        assertThat(Files.exists(dataDir.resolve("pg/postmaster.pid"))).as("pg_ctl daemonized PostgreSQL outlives a SIGKILL").isTrue();

        try (ServiceProcess restarted = ServiceProcess.start(Map.of("HOOKGATE_DATA_DIR", dataDir.toString()))) {
            JsonNode events = restarted.admin().get("/api/v1/tenants/" + tenant.id() + "/events?taskId=" + AirudderPayloads.SEED_TASK_ID).json();
            assertThat(events.get("items")).hasSize(1);
            assertThat(restarted.log()).contains("left by an earlier run");
        }
    }

    @Test
    void aSecondServiceOnTheSameDataDirRefusesToStartAndLeavesTheFirstOneServing() throws Exception {
        Path dataDir = HookgateTestApp.tempDir();
        try (ServiceProcess running = ServiceProcess.start(Map.of("HOOKGATE_DATA_DIR", dataDir.toString()))) {
            JsonNode created = running.admin().post("/api/v1/tenants", "{\"name\":\"Busy tenant\"}").json();
            String url = running.baseUrl() + created.get("callbackUrl").asText().substring(created.get("callbackUrl").asText().indexOf("/hooks/"));

            assertThatThrownBy(() -> ServiceProcess.start(Map.of("HOOKGATE_DATA_DIR", dataDir.toString())).close())
                .hasMessageContaining("is in use by a running Hookgate")
                .hasMessageContaining("stop it first")
                .as("an operator's mistake is told in a sentence, without a stack trace").hasMessageNotContaining("\tat ");
            ServiceProcess.Finished status = ServiceProcess.command(Map.of("HOOKGATE_DATA_DIR", dataDir.toString()), "db", "status");
            assertThat(status.exitStatus()).as(status.output()).isNotZero();
            assertThat(status.output()).contains("is in use by a running Hookgate").doesNotContain("\tat ");

            assertThat(Http.anonymous(running.baseUrl()).postBytes(url, AirudderPayloads.signedSeed(created.get("key").asText())).status())
                .as("the running gateway's database is untouched").isEqualTo(200);
            assertThat(running.log()).doesNotContain("left by an earlier run");
        }
    }

    @Test
    void theDbCommandsMigrateTheEmbeddedDatabaseOfTheDataDir() throws Exception {
        Map<String, String> env = Map.of("HOOKGATE_DATA_DIR", HookgateTestApp.tempDir().toString());

        ServiceProcess.Finished migrated = ServiceProcess.command(env, "db", "migrate");
        assertThat(migrated.exitStatus()).as(migrated.output()).isZero();
        ServiceProcess.Finished status = ServiceProcess.command(env, "db", "status");
        assertThat(status.exitStatus()).as(status.output()).isZero();
        assertThat(status.output()).contains("is up to date");
    }

    private static DropwizardTestSupport<HookgateConfiguration> embeddedApp(Path dataDir) {
        Map<String, String> settings = HookgateTestApp.settings(DatabaseSettings.EMBEDDED);
        settings.put("dataDir", dataDir.toString());
        settings.put("masterKey", "");
        return HookgateTestApp.support(settings);
    }

    private static HookgateTestApp.TestTenant createTenant(DropwizardTestSupport<HookgateConfiguration> app) {
        JsonNode created = Http.anonymous(base(app)).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD)
            .post("/api/v1/tenants", "{\"name\":\"Restart tenant\"}").json();
        return new HookgateTestApp.TestTenant(created.get("id").asLong(), created.get("key").asText(), created.get("callbackUrl").asText());
    }

    private static String localUrl(DropwizardTestSupport<HookgateConfiguration> app, HookgateTestApp.TestTenant tenant) {
        return base(app) + tenant.callbackUrl().substring(tenant.callbackUrl().indexOf("/hooks/"));
    }

    private static String base(DropwizardTestSupport<HookgateConfiguration> app) {
        return "http://localhost:" + app.getLocalPort();
    }

    /** Asks the running embedded server itself; its port is on line 4 of postmaster.pid. */
    private static String setting(Path dataDir, String name) throws Exception {
        List<String> pid = Files.readAllLines(dataDir.resolve("pg/postmaster.pid"), StandardCharsets.US_ASCII);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres?user=postgres");
             ResultSet rs = c.createStatement().executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Everything in the embedded server's log directory. */
    private static String postgresLog(Path dataDir) throws Exception {
        StringBuilder log = new StringBuilder();
        try (var files = Files.list(dataDir.resolve("pg/log"))) {
            for (Path file : files.sorted().toList()) {
                log.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return log.toString();
    }
}
