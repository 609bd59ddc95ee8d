package io.hookgate.web;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.Browserless.Page;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log says what an edit of a destination changed, old → new, without ever showing a header's secret value. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DestinationAuditIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();

    @Test
    void anEditIsAuditedWithWhatChangedFromWhatToWhatAndSecretsOnlyAsChanged() {
        Http api = HookgateTestApp.admin(APP);
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Audited Collections");
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("name", "CRM");
        created.put("url", "http://127.0.0.1:9/old-crm");
        created.put("kinds", List.of("call_completion"));
        created.put("headers", Map.of("Authorization", "Bearer old-crm-token", "X-Team", "blue"));
        long id = api.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(created)).json().get("id").asLong();

        Browserless admin = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        admin.get("/destinations/" + id);
        Map<String, String> form = Browserless.form("name", "CRM", "url", "http://127.0.0.1:9/new-crm", "enabled", "on",
            "kinds", "info_check", "filter", "Details[].Status in finished", "headers", "Authorization: Bearer new-crm-token\nX-Team: ••••••",
            "timeoutMs", "10000", "maxAttempts", "12", "backoffInitialMs", "5000", "backoffMultiplier", "3.0", "backoffMaxMs", "21600000",
            "rateLimitPerSecond", "5", "maxInFlight", "8");
        Page saved = admin.postForm("/destinations/" + id, form);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(303);

        Page audit = admin.get("/audit?action=destination.update");
        assertThat(audit.body()).contains(
            "<li>url: http://127.0.0.1:9/old-crm → http://127.0.0.1:9/new-crm</li>",
            "<li>kinds: call_completion → info_check</li>",
            "<li>filter: none → Details[].Status in finished</li>",
            "<li>rateLimitPerSecond: none → 5</li>",
            "<li>headers.Authorization: changed</li>");
        assertThat(audit.body()).as("unchanged settings are not listed")
            .doesNotContain("<li>name:", "<li>enabled:", "<li>maxAttempts:", "<li>headers.X-Team:");
        assertThat(audit.body()).as("secrets never shown").doesNotContain("old-crm-token", "new-crm-token");

        // the API's GET shows headers masked; a PUT of what it read changes only what it edits
        Map<String, Object> read = new LinkedHashMap<>();
        api.get("/api/v1/destinations/" + id).json().fields().forEachRemaining(f -> read.put(f.getKey(), f.getValue()));
        for (String generated : List.of("id", "tenantId", "signingSecret", "previousSecretValidUntil", "circuit", "createdAt", "updatedAt")) {
            read.remove(generated);
        }
        read.put("maxInFlight", 4);
        assertThat(api.put("/api/v1/destinations/" + id, Http.json(read)).status()).isEqualTo(200);
        Page second = admin.get("/audit?action=destination.update");
        assertThat(second.body()).contains("<li>maxInFlight: 8 → 4</li>");
        assertThat(second.body().split("<li>headers\\.", -1)).as("the masked headers sent back are no change").hasSize(2);
    }

    @Test
    void credentialsInADestinationUrlAreShownOnlyToThoseWhoManageIt() {
        Http api = HookgateTestApp.admin(APP);
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Token-in-URL Collections");
        long id = api.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "CRM", "url", "http://127.0.0.1:9/crm/Zx81first4pass7token?token=first-secret"))).json().get("id").asLong();
        Map<String, Object> changed = new LinkedHashMap<>(Map.of("name", "CRM", "url", "http://127.0.0.1:9/crm/Zx81first4pass7token?token=second-secret"));
        assertThat(api.put("/api/v1/destinations/" + id, Http.json(changed)).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/destinations/" + id).json().get("url").asText()).as("the tenant's managers see it whole")
            .isEqualTo("http://127.0.0.1:9/crm/Zx81first4pass7token?token=second-secret");

        HookgateTestApp.createUser(APP, "support-url@agency.test", "correct horse battery", "support", null);
        Http support = Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("support-url@agency.test", "correct horse battery");
        assertThat(support.get("/api/v1/destinations/" + id).json().get("url").asText())
            .isEqualTo("http://127.0.0.1:9/crm/••••••oken?token=••••••");
        Browserless supportUi = Browserless.signIn(HookgateTestApp.baseUrl(APP), "support-url@agency.test", "correct horse battery");
        Page destination = supportUi.get("/destinations/" + id);
        Page tenantPage = supportUi.get("/tenants/" + tenant.id());
        assertThat(destination.body()).contains("http://127.0.0.1:9/crm/••••••oken?token=••••••");
        assertThat(tenantPage.body()).contains("http://127.0.0.1:9/crm/••••••oken?token=••••••");

        Page audit = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD)
            .get("/audit?tenant=" + tenant.id());
        assertThat(audit.body()).contains("<li>url: credentials changed</li>");
        for (Page page : List.of(destination, tenantPage, audit, supportUi.get("/audit?tenant=" + tenant.id()))) {
            assertThat(page.body()).as(page.toString()).doesNotContain("first-secret", "second-secret", "Zx81first4pass7token");
        }
    }
}
