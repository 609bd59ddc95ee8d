package io.hookgate.overview;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's 24 hours: past hours are counted once and kept, the current hour is counted on every view. */
@ExtendWith(DropwizardExtensionsSupport.class)
class OverviewIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(HookgateTestApp.settings(DATABASE));

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));

    @Test
    void pastHoursKeepTheirCountsAndTheCurrentHourCountsWhatArrivesBetweenViews() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Overview tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            assertThat(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
                Http.json(Map.of("name", "Receiver", "url", receiver.url()))).status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            }
            receiver.await(r -> r.size() == 3, Duration.ofSeconds(15));
            awaitSucceeded(tenant, 3);
            // two of them arrived, and were delivered, three hours ago
            Instant threeHoursAgo = Instant.now().minus(3, ChronoUnit.HOURS);
            try (Connection c = DriverManager.getConnection(DATABASE);
                 PreparedStatement events = c.prepareStatement("update events set received_at = received_at - interval '3 hours' "
                     + "where id in (select id from events where tenant_id = ? order by id limit 2)");
                 PreparedStatement deliveries = c.prepareStatement("update deliveries set completed_at = completed_at - interval '3 hours' "
                     + "where event_id in (select id from events where tenant_id = ? order by id limit 2)")) {
                events.setLong(1, tenant.id());
                assertThat(events.executeUpdate()).isEqualTo(2);
                deliveries.setLong(1, tenant.id());
                assertThat(deliveries.executeUpdate()).isEqualTo(2);
            }

            JsonNode first = overview(tenant);
            assertThat(first.get("eventsReceived24h").asLong()).isEqualTo(3);
            assertThat(first.get("deliveriesSucceeded24h").asLong()).isEqualTo(3);
            assertThat(hour(first, threeHoursAgo).get("events").asLong()).isEqualTo(2);
            assertThat(hour(first, threeHoursAgo).get("succeeded").asLong()).isEqualTo(2);

            for (int i = 0; i < 2; i++) {
                assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            }
            receiver.await(r -> r.size() == 5, Duration.ofSeconds(15));
            awaitSucceeded(tenant, 5);
            JsonNode second = overview(tenant);
            assertThat(second.get("eventsReceived24h").asLong()).as("what arrived since the last view counts").isEqualTo(5);
            assertThat(second.get("deliveriesSucceeded24h").asLong()).isEqualTo(5);
            assertThat(hour(second, threeHoursAgo).get("events").asLong()).as("a past hour as it was").isEqualTo(2);
            long lastTwoHours = 0;
            for (JsonNode h : second.get("hours")) {
                if (!Instant.parse(h.get("start").asText()).isBefore(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS))) {
                    lastTwoHours += h.get("events").asLong();
                }
            }
            assertThat(lastTwoHours).as("the rest arrived in this hour (or the last, at its turn)").isEqualTo(3);
            assertThat(overview(null).get("eventsReceived24h").asLong()).as("every tenant's view counts its own hours")
                .isGreaterThanOrEqualTo(5);
        }
    }

    private JsonNode overview(TestTenant tenant) {
        Http.Reply reply = admin.get("/api/v1/overview" + (tenant == null ? "" : "?tenantId=" + tenant.id()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode hour(JsonNode overview, Instant at) {
        String start = at.truncatedTo(ChronoUnit.HOURS).toString();
        for (JsonNode h : overview.get("hours")) {
            if (Instant.parse(h.get("start").asText()).equals(Instant.parse(start))) {
                return h;
            }
        }
        throw new AssertionError("no hour starting " + start + " in " + overview.get("hours"));
    }

    private void awaitSucceeded(TestTenant tenant, long count) throws InterruptedException {
        long succeeded = 0;
        for (int i = 0; i < 200 && succeeded != count; i++) {
            Thread.sleep(50);
            succeeded = 0;
            for (JsonNode e : admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=100").json().get("items")) {
                succeeded += admin.get("/api/v1/events/" + e.get("id").asLong()).json().get("deliveries").findValues("status").stream()
                    .filter(s -> s.asText().equals("succeeded")).count();
            }
        }
        assertThat(succeeded).as("succeeded deliveries").isEqualTo(count);
    }
}
