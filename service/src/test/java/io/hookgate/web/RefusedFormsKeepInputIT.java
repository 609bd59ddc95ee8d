package io.hookgate.web;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.Browserless.Page;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/** A refused form comes back with every mistake named at once and what was typed still there, secrets aside. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RefusedFormsKeepInputIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();

    static Browserless admin;
    static TestTenant tenant;

    @BeforeAll
    static void signIn() {
        admin = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        tenant = HookgateTestApp.createTenant(APP, "Form Mistakes Ltd");
    }

    @Test
    void aDestinationFormWithSeveralMistakesNamesEveryOneInOneAnswer() {
        admin.get("/destinations/new?tenant=" + tenant.id());
        Page refused = admin.postForm("/destinations?tenant=" + tenant.id(), Browserless.form(
            "name", "CRM with typos", "url", "ftp://crm.example/hook", "enabled", "on",
            "filter", "Details[].Status finished", "headers", "",
            "timeoutMs", "ten seconds", "maxAttempts", "12", "backoffInitialMs", "5000", "backoffMultiplier", "3", "backoffMaxMs", "60000",
            "rateLimitPerSecond", "", "maxInFlight", "0"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains(
            "URL: must start with http:// or https://",
            "Filter: line 1 must read: field in value, value",
            "Timeout: must be a whole number",
            "Max in flight: must be between 1 and 256");
        assertThat(refused.body()).as("what was typed stays in the form").contains("value=\"CRM with typos\"", "ftp://crm.example/hook");
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).isEmpty();
    }

    @Test
    void everyRetrySettingOutOfBoundsIsNamedByItsLabelUnderItsOwnInputInOneAnswer() {
        admin.get("/destinations/new?tenant=" + tenant.id());
        Page refused = admin.postForm("/destinations?tenant=" + tenant.id(), Browserless.form(
            "name", "CRM retried badly", "url", "http://127.0.0.1:9/hook", "enabled", "on", "filter", "", "headers", "",
            "timeoutMs", "10000", "maxAttempts", "0", "backoffInitialMs", "5000", "backoffMultiplier", "0.5", "backoffMaxMs", "60000",
            "rateLimitPerSecond", "", "maxInFlight", "8"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains(
            "id=\"err-maxAttempts\" role=\"alert\">Attempts in all: must be between 1 and 100</div>",
            "id=\"err-backoffMultiplier\" role=\"alert\">Multiplier: must be between 1 and 10</div>")
            .doesNotContain("backoff.multiplier").doesNotContain("err-backoffInitialMs\" role");
        assertThat(refused.body()).as("marked, and as typed").containsPattern("<input id=\"backoffMultiplier\"[^>]*aria-invalid=\"true\"")
            .containsPattern("<input id=\"backoffMultiplier\"[^>]*value=\"0.5\"");
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).isEmpty();

        // an unreadable setting is not replaced by its default to judge the others by: only it is named
        Page unreadable = admin.postForm("/destinations?tenant=" + tenant.id(), Browserless.form(
            "name", "CRM retried badly", "url", "http://127.0.0.1:9/hook", "enabled", "on", "filter", "", "headers", "",
            "timeoutMs", "10000", "maxAttempts", "5", "backoffInitialMs", "soon", "backoffMultiplier", "2", "backoffMaxMs", "1000",
            "rateLimitPerSecond", "", "maxInFlight", "8"));
        assertThat(unreadable.body()).contains("First retry after: must be a whole number of milliseconds")
            .doesNotContain("Longest wait:");
    }

    @Test
    void theAddressOfARefusedFormReloadedOrBookmarkedLeadsToThePageWithTheForm() {
        TestTenant other = HookgateTestApp.createTenant(APP, "Reloaded Forms Ltd");
        admin.get("/destinations/new?tenant=" + other.id());
        Page refused = admin.postForm("/destinations?tenant=" + other.id(), Browserless.form("name", "", "url", "ftp://x"));
        assertThat(refused.status()).isEqualTo(400);

        // the browser's bar still holds the address the form was posted to
        assertThat(admin.get("/destinations?tenant=" + other.id()).location()).contains("/destinations/new?tenant=" + other.id());
        assertThat(admin.get("/tenants/" + other.id() + "/settings").location()).contains("/tenants/" + other.id());
        assertThat(admin.get("/account/password").location()).contains("/account");
        assertThat(admin.follow(admin.get("/tenants/" + other.id() + "/settings")).body()).contains("Reloaded Forms Ltd");
        Http.Reply api = HookgateTestApp.admin(APP).get("/api/v1/tenants/" + other.id() + "/key/rotate");
        assertThat(api.status()).as("the API still says what the method is").isEqualTo(405);
        assertThat(api.json().get("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void aWrongPasswordKeepsTheEmailSoOnlyThePasswordIsTypedAgain() {
        Page refused = new Browserless(HookgateTestApp.baseUrl(APP)).login(HookgateTestApp.ADMIN_EMAIL, "not the password");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("Wrong email or password").contains("value=\"" + HookgateTestApp.ADMIN_EMAIL + "\"")
            .doesNotContain("not the password");
    }

    @Test
    void aRefusedOnboardingKeepsTheExistingKeyTypedUnlessTheKeyIsWhatWasRefused() {
        admin.get("/tenants");
        Page noName = admin.postForm("/tenants", Browserless.form("name", " ", "key", "client-existing-KEY-42"));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.body()).contains("Name: is required").contains("value=\"client-existing-KEY-42\"");

        Page defaultKey = admin.postForm("/tenants", Browserless.form("name", "Default Key Ltd", "key", "airudder"));
        assertThat(defaultKey.status()).isEqualTo(400);
        assertThat(defaultKey.body()).contains("AIRUDDER&#39;s published default KEY").contains("value=\"Default Key Ltd\"")
            .doesNotContain("value=\"airudder\"");
    }

    @Test
    void aPlatformAdminRenamesATenantAndSetsItsRetentionFromItsPage() {
        TestTenant renamed = HookgateTestApp.createTenant(APP, "Rename Me Ltd");
        Page page = admin.get("/tenants/" + renamed.id());
        assertThat(page.body()).contains("value=\"Rename Me Ltd\"").contains("empty: the default, 90 days");

        Page refused = admin.postForm("/tenants/" + renamed.id() + "/settings", Browserless.form(
            "name", "Renamed Ltd", "retentionDays", "5000"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("Retention: must be between 1 and 3650 days").contains("value=\"Renamed Ltd\"")
            .contains("value=\"5000\"");
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + renamed.id()).json().get("name").asText()).isEqualTo("Rename Me Ltd");

        Page saved = admin.postForm("/tenants/" + renamed.id() + "/settings", Browserless.form(
            "name", "Renamed Ltd", "retentionDays", "30", "acceptUnsigned", "on"));
        assertThat(saved.status()).isEqualTo(303);
        var stored = HookgateTestApp.admin(APP).get("/api/v1/tenants/" + renamed.id()).json();
        assertThat(stored.get("name").asText()).isEqualTo("Renamed Ltd");
        assertThat(stored.get("retentionDays").asInt()).isEqualTo(30);
        assertThat(stored.get("acceptUnsigned").asBoolean()).isTrue();

        admin.postForm("/tenants/" + renamed.id() + "/settings", Browserless.form("name", "Renamed Ltd", "retentionDays", ""));
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + renamed.id()).json().has("retentionDays"))
            .as("an emptied field is the default again").isFalse();
    }
}
