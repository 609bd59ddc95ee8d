package io.hookgate.ingest;

import io.dropwizard.testing.DropwizardTestSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.Http;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With PostgreSQL gone, AIRUDDER must get a 5xx (and retry), never a 200 for something not stored. */
class DatabaseOutageIT {

    @Test
    void notificationsAndApiCallsGet503WhileTheDatabaseIsDown() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Map<String, String> settings = HookgateTestApp.settings(postgres.getJdbcUrl("postgres", "postgres"));
        settings.put("tenantCacheTtl", "10 minutes"); // the tenant stays cached, so what fails is the insert itself
        DropwizardTestSupport<HookgateConfiguration> app = HookgateTestApp.support(settings);
        app.before();
        try {
            String base = "http://localhost:" + app.getLocalPort();
            Http admin = Http.anonymous(base).basic(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            var created = admin.post("/api/v1/tenants", "{\"name\":\"Outage tenant\"}").json();
            String url = base + created.get("callbackUrl").asText().substring(created.get("callbackUrl").asText().indexOf("/hooks/"));
            String key = created.get("key").asText();
            Http airudder = Http.anonymous(base);
            assertThat(airudder.postBytes(url, AirudderPayloads.signedUnique(key, p -> { })).status()).isEqualTo(200);

            postgres.close();

            Http.Reply refused = airudder.postBytes(url, AirudderPayloads.signedUnique(key, p -> { }));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().get("error").asText()).isEqualTo("store_unavailable");
            assertThat(airudder.postBytes(base + "/hooks/uncached-token", AirudderPayloads.signedSeed(key)).status()).isEqualTo(503);
            Http.Reply ready = Http.anonymous("http://localhost:" + app.getAdminPort()).get("/ready");
            assertThat(ready.status()).as("a load balancer takes it out").isEqualTo(503);
            assertThat(ready.json().get("message").asText()).startsWith("the database does not answer");
            String metrics = Http.anonymous("http://localhost:" + app.getAdminPort()).get("/prometheus").body();
            assertThat(metrics).as("every 503 counts as store_failed, the one whose tenant could not even be looked up too")
                .contains("hookgate_ingest_notifications_total{outcome=\"store_failed\",tenant=\"" + created.get("id").asLong() + "\"} 1.0")
                .contains("hookgate_ingest_notifications_total{outcome=\"store_failed\",tenant=\"unknown\"} 1.0");
            Http.Reply api = admin.get("/api/v1/tenants/" + created.get("id").asLong() + "/events");
            assertThat(api.status()).isIn(401, 503).isNotEqualTo(200);
        } finally {
            app.after();
        }
    }
}
