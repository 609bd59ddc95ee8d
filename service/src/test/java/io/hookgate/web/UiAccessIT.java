package io.hookgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI enforces what the API enforces: each role sees and changes only what it may, every form needs the
 * session's CSRF token, and attacker-controlled payload text is shown, never run.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UiAccessIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static final String PASSWORD = "correct horse battery";
    static TestTenant a;
    static TestTenant b;
    static long eventOfA;
    static long eventOfB;
    static long destinationOfA;

    @BeforeAll
    static void tenantsUsersAndEvents() {
        Http admin = HookgateTestApp.admin(APP);
        a = HookgateTestApp.createTenant(APP, "Tenant A");
        b = HookgateTestApp.createTenant(APP, "Tenant B");
        HookgateTestApp.createUser(APP, "admin-a@agency.test", PASSWORD, "tenant_admin", a.id());
        HookgateTestApp.createUser(APP, "support@agency.test", PASSWORD, "support", null);
        ObjectNode hostile = AirudderPayloads.seed();
        ((ObjectNode) hostile.withArray("Details").get(0)).put("CalleeName", "<script>alert('xss')</script><img src=x onerror=alert(1)>");
        Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
        assertThat(airudder.postBytes(a.callbackUrl(), AirudderPayloads.signed(hostile, a.key())).status()).isEqualTo(200);
        assertThat(airudder.postBytes(b.callbackUrl(), AirudderPayloads.signedSeed(b.key())).status()).isEqualTo(200);
        eventOfA = admin.get("/api/v1/tenants/" + a.id() + "/events").json().get("items").get(0).get("id").asLong();
        eventOfB = admin.get("/api/v1/tenants/" + b.id() + "/events").json().get("items").get(0).get("id").asLong();
        JsonNode destination = admin.post("/api/v1/tenants/" + a.id() + "/destinations",
            Http.json(Map.of("name", "A's CRM", "url", "http://127.0.0.1:9/crm", "headers", Map.of("Authorization", "Bearer a-secret")))).json();
        destinationOfA = destination.get("id").asLong();
    }

    private static Browserless as(String email, String password) {
        return Browserless.signIn(HookgateTestApp.baseUrl(APP), email, password);
    }

    @Test
    void everyPageNeedsASignedInSession() {
        Browserless anonymous = new Browserless(HookgateTestApp.baseUrl(APP));
        for (String path : List.of("/", "/tenants", "/tenants/" + a.id(), "/events", "/events/" + eventOfA, "/dead-letters",
            "/destinations/" + destinationOfA, "/rejections", "/users", "/audit", "/account")) {
            Browserless.Page page = anonymous.get(path);
            assertThat(page.status()).as(path).isEqualTo(303);
            assertThat(page.location().orElse("")).as(path).startsWith("/login?next=");
        }
    }

    @Test
    void signingInLandsOnThePageAskedForWithItsSearchIntact() {
        Browserless browser = new Browserless(HookgateTestApp.baseUrl(APP));
        String asked = "/events?taskId=a%2Bb%26c&callee=%2B62+812";
        Browserless.Page redirect = browser.get(asked);
        assertThat(redirect.status()).isEqualTo(303);
        Browserless.Page form = browser.follow(redirect);
        assertThat(form.status()).isEqualTo(200);

        Browserless.Page signedIn = browser.postForm("/login", Browserless.form("email", "support@agency.test", "password", PASSWORD,
            "next", URLDecoder.decode(redirect.location().orElseThrow().replaceFirst("^/login\\?next=", ""),
                StandardCharsets.UTF_8)));

        assertThat(signedIn.location()).as("the TaskID 'a+b&c' and the callee '+62 812', not 'a b', 'c' and ' 62'").contains(asked);
        assertThat(browser.follow(signedIn).body()).contains("value=\"a+b&amp;c\"").contains("value=\"+62 812\"");
    }

    @Test
    void aListFilteredByATenantThatDoesNotExistIsNotFoundNotEmpty() {
        Browserless support = as("support@agency.test", PASSWORD);
        for (String path : List.of("/events?tenant=987654", "/dead-letters?tenant=987654", "/rejections?tenant=987654",
            "/audit?tenant=987654")) {
            Browserless.Page page = support.get(path);
            assertThat(page.status()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).contains("tenant 987654 not found");
        }
    }

    @Test
    void supportCannotRevealAKeyOrEditADestinationAndSeesNoSecrets() {
        Browserless support = as("support@agency.test", PASSWORD);
        Browserless.Page tenant = support.get("/tenants/" + a.id());
        assertThat(tenant.status()).isEqualTo(200);
        assertThat(tenant.body()).doesNotContain("Reveal KEY").doesNotContain("Rotate KEY").doesNotContain(a.key());
        String token = a.callbackUrl().substring(a.callbackUrl().indexOf("/hooks/") + "/hooks/".length());
        assertThat(tenant.body()).as("the callback URL is a credential").doesNotContain(token).contains("masked: it is a credential");
        assertThat(support.get("/tenants/" + a.id() + "/onboarding").body()).doesNotContain(token).doesNotContain("Send a test call");

        assertThat(support.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", PASSWORD)).status()).isEqualTo(403);
        assertThat(support.postForm("/tenants/" + a.id() + "/key/rotate", Map.of("graceHours", "1")).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA, Map.of("name", "hijacked", "url", "http://127.0.0.1:9/evil",
            "timeoutMs", "1000", "maxAttempts", "1", "backoffInitialMs", "100", "backoffMultiplier", "1", "backoffMaxMs", "100",
            "maxInFlight", "1")).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA, Map.of("name", "half a form")).status())
            .as("refused whatever the form holds, not told how to fix it").isEqualTo(403);
        assertThat(support.postForm("/destinations?tenant=" + a.id(), Map.of("name", "half a form")).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA + "/secret/rotate", Map.of("graceHours", "soon")).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA + "/secret/reveal", Map.of("password", PASSWORD)).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA + "/delete", Map.of()).status()).isEqualTo(403);
        assertThat(support.postForm("/destinations/" + destinationOfA + "/enabled", Map.of("enabled", "maybe")).status()).isEqualTo(403);
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("support@agency.test", PASSWORD)
            .put("/api/v1/destinations/" + destinationOfA, "{\"name\":\"half a body\"}").status()).as("the API likewise").isEqualTo(403);
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("support@agency.test", PASSWORD)
            .post("/api/v1/tenants/" + a.id() + "/destinations", "{}").status()).isEqualTo(403);

        Browserless.Page destination = support.get("/destinations/" + destinationOfA);
        assertThat(destination.status()).isEqualTo(200);
        assertThat(destination.body()).doesNotContain("a-secret").doesNotContain("Reveal secret").doesNotContain("whsec_");
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/destinations/" + destinationOfA).json().get("name").asText()).isEqualTo("A's CRM");
    }

    @Test
    void tenantAdminCannotReachAnotherTenantByEditingTheUrl() {
        Browserless adminOfA = as("admin-a@agency.test", PASSWORD);
        assertThat(adminOfA.get("/tenants/" + a.id()).status()).isEqualTo(200);
        assertThat(adminOfA.get("/tenants/" + a.id()).body()).as("no HOOKGATE_PUBLIC_URL in the tests: said where the URL is shown")
            .contains("This URL is this machine's own address: AIRUDDER cannot reach it");
        assertThat(adminOfA.get("/events/" + eventOfA).status()).isEqualTo(200);
        assertThat(adminOfA.get("/tenants/" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/events/" + eventOfB).status()).isEqualTo(404);
        assertThat(adminOfA.get("/events?tenant=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/rejections?tenant=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.postForm("/tenants/" + a.id() + "/settings", Map.of("name", "Renamed by its admin")).status())
            .as("only a platform admin renames a tenant").isEqualTo(403);
        assertThat(adminOfA.get("/tenants/" + a.id()).body()).doesNotContain("name=\"retentionDays\"").contains("name=\"acceptUnsigned\"")
            .contains("Events are kept 90 days (the default)");
        assertThat(adminOfA.postForm("/tenants/" + b.id() + "/key/rotate", Map.of("graceHours", "1")).status()).isEqualTo(404);
        Browserless.Page events = adminOfA.get("/events");
        assertThat(events.body()).contains("/events/" + eventOfA + "\"").doesNotContain("/events/" + eventOfB + "\"");
        assertThat(events.body()).as("screen readers hear which page this is").containsPattern("<a href=\"/events\"[^>]*aria-current=\"page\"")
            .containsOnlyOnce("aria-current");
    }

    @Test
    void aRefusedOrMissingPageKeepsTheNavigationBarForASignedInUser() {
        Browserless adminOfA = as("admin-a@agency.test", PASSWORD);
        for (Browserless.Page page : new Browserless.Page[] {adminOfA.get("/tenants/" + b.id()), adminOfA.get("/no-such-page"),
            adminOfA.postForm("/tenants/" + a.id() + "/settings", Map.of("name", "Renamed by its admin")),
            adminOfA.get("/dead-letters?tenant=" + a.id() + "&destination=987654")}) {
            assertThat(page.status()).as(page.toString()).isIn(403, 404);
            assertThat(page.body()).as(page.toString()).contains("aria-label=\"Main\"").contains("admin-a@agency.test")
                .contains(page.status() == 404 ? "Not found" : "Not allowed");
        }
        Browserless.Page signedOut = new Browserless(HookgateTestApp.baseUrl(APP)).get("/no-such-page");
        assertThat(signedOut.status()).isEqualTo(404);
        assertThat(signedOut.body()).doesNotContain("aria-label=\"Main\"").contains("There is no such page.");
    }

    @Test
    void supportFindsWhyANotificationWasRefusedFromTheEventSearch() {
        ObjectNode refused = AirudderPayloads.seed();
        refused.put("TaskID", "task-refused-in-ui");
        refused.put("Sign", "0123456789abcdef0123456789abcdef");
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(b.callbackUrl(), AirudderPayloads.bytes(refused)).status())
            .isEqualTo(401);
        Browserless support = as("support@agency.test", PASSWORD);

        Browserless.Page events = support.get("/events?taskId=task-refused-in-ui");
        assertThat(events.body()).contains("No event matches").contains("/rejections?tenant=&amp;taskId=task-refused-in-ui");
        Browserless.Page found = support.get("/rejections?tenant=&taskId=task-refused-in-ui");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains("Tenant B").contains("bad_signature").contains("task-refused-in-ui")
            .contains("Sign does not match TaskID");
        assertThat(support.get("/rejections?tenant=" + a.id() + "&taskId=task-refused-in-ui").body()).contains("No rejected request matches");
        assertThat(support.get("/tenants/" + b.id()).body()).contains("task-refused-in-ui").contains("/rejections?tenant=" + b.id());
        Browserless.Page badReason = support.get("/rejections?reason=nonsense");
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.body()).contains("Reason: unknown reason");
    }

    @Test
    void aNewDestinationWithoutATenantLeadsToWhereOneIsChosen() {
        Browserless.Page own = as("admin-a@agency.test", PASSWORD).get("/destinations/new");
        assertThat(own.status()).isEqualTo(303);
        assertThat(own.location()).contains("/destinations/new?tenant=" + a.id());

        assertThat(as("support@agency.test", PASSWORD).get("/destinations/new").status()).as("not sent to a form it cannot use")
            .isEqualTo(403);
        Browserless platform = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        Browserless.Page choose = platform.get("/destinations/new");
        assertThat(choose.status()).isEqualTo(303);
        assertThat(platform.follow(choose).body()).contains("A destination belongs to a tenant").contains("Tenant A");
    }

    @Test
    void wrongPasswordsAtTheKeyRevealLockTheAccountAndThePageSaysSo() {
        HookgateTestApp.createUser(APP, "guesser@agency.test", PASSWORD, "tenant_admin", a.id());
        Browserless guesser = as("guesser@agency.test", PASSWORD);
        for (int i = 0; i < 4; i++) {
            assertThat(guesser.follow(guesser.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", "guess " + i))).body())
                .contains("That password is not right: the KEY stays hidden.");
        }
        Browserless.Page fifth = guesser.follow(guesser.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", "guess 4")));
        assertThat(fifth.body()).contains("Your account is locked until").contains("the KEY stays hidden").doesNotContain(a.key());
        Browserless.Page right = guesser.follow(guesser.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", PASSWORD)));
        assertThat(right.body()).as("even the right password, while locked").contains("Your account is locked until").doesNotContain(a.key());

        Http.Reply audit = HookgateTestApp.admin(APP).get("/api/v1/audit?action=password.confirm.failed&actor=guesser@agency.test");
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        JsonNode failed = audit.json().get("items");
        assertThat(failed).hasSize(6);
        assertThat(failed.get(0).get("detail").get("purpose").asText()).isEqualTo("reveal the KEY of tenant " + a.id());
        assertThat(failed.get(0).get("detail").get("accountLocked").asBoolean()).isTrue();
    }

    @Test
    void tenantAdminRevealsItsKeyOnlyWithItsPassword() {
        Browserless adminOfA = as("admin-a@agency.test", PASSWORD);
        Browserless.Page wrong = adminOfA.follow(adminOfA.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", "not my password")));
        assertThat(wrong.body()).contains("That password is not right").doesNotContain(a.key());
        Browserless.Page right = adminOfA.postForm("/tenants/" + a.id() + "/key/reveal", Map.of("password", PASSWORD));
        assertThat(right.status()).as(right.toString()).isEqualTo(303);
        assertThat(right.location().orElseThrow()).doesNotContain(a.key());
        assertThat(adminOfA.follow(right).body()).contains(a.key());
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + a.id()).status()).isEqualTo(200);
        Browserless.Page audit = as(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD).get("/audit");
        assertThat(audit.body()).contains("tenant.key.reveal");
    }

    @Test
    void formsWithoutOrWithAWrongCsrfTokenAre403AndChangeNothing() {
        Browserless admin = as(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(admin.postForm("/tenants", Map.of("name", "Forged tenant"), false).status()).isEqualTo(403);
        Browserless.Page forged = admin.postForm("/tenants", Map.of("name", "Forged tenant", "_csrf", "guessed-token"), false);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).as("a stale tab's form: refused, the navigation kept").contains("This form has expired")
            .contains("aria-label=\"Main\"");
        assertThat(admin.postForm("/tenants/" + a.id() + "/status", Map.of("status", "suspended"), false).status()).isEqualTo(403);
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants").json().findValuesAsText("name")).doesNotContain("Forged tenant");
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants/" + a.id()).json().get("status").asText()).isEqualTo("active");
        Browserless.Page onboarded = admin.postForm("/tenants", Map.of("name", "Real tenant"));
        assertThat(onboarded.status()).as(onboarded.toString()).isEqualTo(303);
        assertThat(HookgateTestApp.admin(APP).get("/api/v1/tenants").json().findValuesAsText("name")).contains("Real tenant");
    }

    @Test
    void payloadScriptIsShownAsTextNeverRun() {
        Browserless admin = as(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        Browserless.Page event = admin.get("/events/" + eventOfA);
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.body()).doesNotContain("<script>alert").doesNotContain("<img src=x")
            .contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;");
    }

    @Test
    void pagesCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(HookgateTestApp.baseUrl(APP) + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("Referrer-Policy")).isPresent();
        assertThat(login.body()).doesNotContain("<script>").doesNotContain("onclick=").doesNotContain("style=\"");
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("hookgate_login_csrf")).findFirst().orElse("");
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void pagesAndApiAnswersAreNeverCachedButAssetsAre() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = HookgateTestApp.baseUrl(APP);
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
        String basic = "Basic " + Base64.getEncoder().encodeToString(
            (HookgateTestApp.ADMIN_EMAIL + ":" + HookgateTestApp.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tenants"))
            .header("Authorization", basic).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Uncached KEY tenant\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"key\"");
        assertThat(created.headers().firstValue("Cache-Control")).as("the answer that shows a new KEY").contains("no-store");
        HttpResponse<String> css = client.send(HttpRequest.newBuilder(URI.create(base + "/static/app.css")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Cache-Control").orElse("")).doesNotContain("no-store");
    }

    @Test
    void errorsAreExplainedOnAPageNeverAStackTrace() {
        Browserless admin = as(HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        Browserless.Page missing = admin.get("/events/999999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("Not found").contains("event 999999 not found").doesNotContain("Exception");
        Browserless.Page badSearch = admin.get("/events?from=yesterday");
        assertThat(badSearch.status()).isEqualTo(400);
        assertThat(badSearch.body()).contains("must be a date and time");
    }
}
