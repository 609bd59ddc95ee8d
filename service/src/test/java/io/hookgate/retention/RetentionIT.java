package io.hookgate.retention;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Old events go, with their deliveries and attempts; waiting dead letters and recent events stay; expired page flashes go. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RetentionIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(settings());

    static Map<String, String> settings() {
        Map<String, String> settings = HookgateTestApp.settings(DATABASE);
        settings.put("retention.batchSize", "2"); // several batches, each starting after the last, past an event that stays
        return settings;
    }

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));

    @Test
    void purgeDeletesWhatIsPastRetentionPerTenantAndKeepsWaitingDeadLetters() throws Exception {
        TestTenant a = HookgateTestApp.createTenant(APP, "Default retention");
        TestTenant b = HookgateTestApp.createTenant(APP, "One day retention");
        assertThat(admin.patch("/api/v1/tenants/" + b.id(), "{\"retentionDays\": 1}").json().get("retentionDays").asInt()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            post(a);
            post(b);
        }
        try (TestReceiver failing = TestReceiver.start().answering(n -> TestReceiver.Answer.status(500))) {
            Http.Reply destination = admin.post("/api/v1/tenants/" + a.id() + "/destinations", Http.json(Map.of("name", "Down",
                "url", failing.url(), "maxAttempts", 1)));
            assertThat(destination.status()).isEqualTo(201);
            post(a);
            awaitDeadLetters(a, 1);
            assertThat(admin.delete("/api/v1/destinations/" + destination.json().get("id").asLong()).status()).isEqualTo(204);
        }
        post(a);
        post(a); // after the one that stays, in the order the purge goes
        awaitStartupPass(); // the pass each instance runs a second after it starts, so that the task's pass below does all the work
        backdate(a, "100 days");
        backdate(b, "2 days");
        post(a); // recent: stays
        byte[] expiredFlash = flash("-1 minute");
        byte[] liveFlash = flash("10 minutes");

        Http.Reply purge = Http.anonymous("http://localhost:" + APP.getAdminPort()).post("/tasks/retention-purge", "");
        assertThat(purge.status()).isEqualTo(200);
        assertThat(purge.body()).contains("deleted 8 events");

        assertThat(events(a)).as("the recent event and the one whose dead letter waits").isEqualTo(2);
        assertThat(events(b)).isZero();
        assertThat(callsWithoutTheirEvent()).as("calls of purged events").isZero();
        // its destination was deleted: no longer waiting, but kept for the record with its event, for the dead letters' retention
        JsonNode kept = admin.get("/api/v1/dead-letters?includeReplayed=true&tenantId=" + a.id()).json().get("items");
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).get("destinationDeleted").asBoolean()).isTrue();
        assertThat(flashExists(expiredFlash)).as("an expired page flash").isFalse();
        assertThat(flashExists(liveFlash)).as("a page flash still waiting for its page").isTrue();
        assertThat(Http.anonymous("http://localhost:" + APP.getAdminPort()).post("/tasks/retention-purge", "").body())
            .contains("deleted 0 events");

        JsonNode passes = admin.get("/api/v1/retention/passes").json();
        assertThat(passes.get("intervalSeconds").asLong()).isPositive();
        JsonNode newest = passes.get("items").get(0);
        assertThat(newest.get("state").asText()).isEqualTo("completed");
        assertThat(newest.get("eventsDeleted").asLong()).isZero();
        JsonNode purging = StreamSupport.stream(passes.get("items").spliterator(), false)
            .filter(p -> p.get("eventsDeleted").asLong() == 8).findFirst().orElseThrow();
        assertThat(purging.get("state").asText()).isEqualTo("completed");
        assertThat(purging.get("tenantsDone").asInt()).isEqualTo(purging.get("tenantsTotal").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(purging.get("finishedAt").asText()).isNotEmpty();
        assertThat(purging.get("progressAt").asText()).as("recorded as it went").isNotEmpty();

        String scraped = "";
        for (int i = 0; i < 100 && !scraped.contains("hookgate_retention_last_completed_age_seconds "); i++) {
            Thread.sleep(100); // the figures behind the gauge are read in the background every 5 s
            scraped = Http.anonymous("http://localhost:" + APP.getAdminPort()).get("/prometheus").body();
        }
        assertThat(scraped).as("alerting can watch the purge").contains("hookgate_retention_last_completed_age_seconds ");

        Browserless staff = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(staff.get("/").body()).contains("Retention purge").contains("completed").contains("deleted 0 events past their retention");
        HookgateTestApp.createUser(APP, "retention-admin-a@agency.test", "correct horse battery", "tenant_admin", a.id());
        assertThat(Browserless.signIn(HookgateTestApp.baseUrl(APP), "retention-admin-a@agency.test", "correct horse battery").get("/").body())
            .as("a tenant admin sees its own tenant, not the service's jobs").doesNotContain("Retention purge");
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("retention-admin-a@agency.test", "correct horse battery")
            .get("/api/v1/retention/passes").status()).isEqualTo(403);
    }

    private void awaitStartupPass() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            JsonNode items = admin.get("/api/v1/retention/passes").json().get("items");
            if (items.size() > 0 && !items.get(items.size() - 1).get("finishedAt").isNull()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the pass run at start did not finish");
    }

    private void post(TestTenant tenant) {
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
    }

    private int events(TestTenant tenant) {
        return admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=100").json().get("items").size();
    }

    private void awaitDeadLetters(TestTenant tenant, int count) throws InterruptedException {
        for (int i = 0; i < 200 && admin.get("/api/v1/dead-letters?tenantId=" + tenant.id()).json().get("items").size() < count; i++) {
            Thread.sleep(50);
        }
    }

    /** Calls are deleted with their event by the purge itself: no foreign key cascades it. */
    private static int callsWithoutTheirEvent() throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement s = c.prepareStatement("select count(*) from event_calls c where not exists "
                 + "(select 1 from events e where e.tenant_id = c.tenant_id and e.id = c.event_id)");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A page flash, as PageFlashes keeps it, expiring {@code in} from now; returns its id. */
    private static byte[] flash(String in) throws Exception {
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement s = c.prepareStatement("insert into web_flashes (id_sha256, user_id, sealed, expires_at) "
                 + "values (?, (select min(id) from users), ?, now() + cast(? as interval))")) {
            s.setBytes(1, id);
            s.setBytes(2, new byte[] {1});
            s.setString(3, in);
            s.executeUpdate();
        }
        return id;
    }

    private static boolean flashExists(byte[] id) throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement s = c.prepareStatement("select 1 from web_flashes where id_sha256 = ?")) {
            s.setBytes(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Moves the tenant's events into the past, as time would. */
    private static void backdate(TestTenant tenant, String age) throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement s = c.prepareStatement("update events set received_at = now() - cast(? as interval) where tenant_id = ?")) {
            s.setString(1, age);
            s.setLong(2, tenant.id());
            s.executeUpdate();
        }
    }
}
