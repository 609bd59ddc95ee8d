package io.hookgate.faults;

import io.dropwizard.testing.DropwizardTestSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.BlackHoleProxy;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that falls silent (its host gone, or a firewall that forgot the connections) sends no reset: without a
 * read timeout every thread waiting on it would wait for hours, and the service would stay down after the path heals.
 */
class DatabaseBlackHoleIT {

    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // stuck threads also block stopping
    void connectionsLostInSilenceAreGivenUpSoNotificationsAreStoredAgainOnceTheDatabaseAnswers() throws Exception {
        String database = TestDatabase.fresh();
        Matcher server = HOST_PORT.matcher(database);
        assertThat(server.find()).as("host and port in %s", database).isTrue();
        try (BlackHoleProxy proxy = new BlackHoleProxy(server.group(1), server.group(2) == null ? 5432 : Integer.parseInt(server.group(2)))) {
            Map<String, String> settings = HookgateTestApp.settings(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + database.substring(server.end() - 1));
            settings.put("tenantCacheTtl", "10 minutes"); // the tenant stays cached: what waits is the store itself
            DropwizardTestSupport<HookgateConfiguration> app = HookgateTestApp.support(settings);
            app.before();
            try {
                String base = "http://localhost:" + app.getLocalPort();
                Http admin = Http.anonymous(base).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
                var tenant = admin.post("/api/v1/tenants", "{\"name\":\"Black hole tenant\"}").json();
                String callback = URI.create(tenant.get("callbackUrl").asText()).getPath();
                String key = tenant.get("key").asText();
                Http airudder = Http.anonymous(base);
                assertThat(airudder.postBytes(callback, AirudderPayloads.signedUnique(key, p -> { })).status()).isEqualTo(200);

                proxy.swallowEverything();
                byte[] duringSilence = AirudderPayloads.signedUnique(key, p -> { });
                Http.Reply refused = airudder.postBytes(callback, duringSilence);
                assertThat(refused.status()).as("answered within AIRUDDER's 10 s, and never 200: %s", refused).isEqualTo(503);

                // monitoring still answers, from figures read before, and says what is wrong
                Http adminPort = Http.anonymous("http://localhost:" + app.getAdminPort());
                Http.Reply scrape = adminPort.get("/prometheus");
                assertThat(scrape.status()).isEqualTo(200);
                assertThat(scrape.body()).contains("hookgate_delivery_backlog ").contains("hookgate_delivery_figures_age_seconds ");
                Http.Reply health = adminPort.get("/healthcheck");
                for (long deadline = System.nanoTime() + 30_000_000_000L;
                     !health.body().contains("could not be read") && System.nanoTime() < deadline; health = adminPort.get("/healthcheck")) {
                    Thread.sleep(1_000);
                }
                assertThat(health.status()).isEqualTo(500);
                assertThat(health.json().get("postgresql").get("healthy").asBoolean()).isFalse();
                assertThat(health.json().get("delivery-backlog").get("message").asText()).contains("the delivery figures could not be read for");

                proxy.heal();
                // AIRUDDER retries a failed notification every minute, 5 times; here, every half second for at most a
                // minute, beyond config.yml's read timeout (30 s) on the connections lost in the silence
                Http.Reply retried = refused;
                for (long deadline = System.nanoTime() + 60_000_000_000L; retried.status() != 200 && System.nanoTime() < deadline; ) {
                    Thread.sleep(500);
                    retried = airudder.postBytes(callback, duringSilence);
                }
                assertThat(retried.status()).as("the retry once the database answers again: %s", retried).isEqualTo(200);
                assertThat(airudder.postBytes(callback, AirudderPayloads.signedUnique(key, p -> { })).status()).isEqualTo(200);

                var events = admin.get("/api/v1/tenants/" + tenant.get("id").asLong() + "/events");
                assertThat(events.status()).isEqualTo(200);
                assertThat(events.json().get("items")).as("each notification stored once: %s", events).hasSize(3);
            } finally {
                app.after();
            }
        }
    }
}
