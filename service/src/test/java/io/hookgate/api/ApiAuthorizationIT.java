package io.hookgate.api;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every API route as each role sees it: a platform admin does anything, a tenant admin only its own tenant (other
 * tenants look nonexistent), support reads everything but changes nothing and never sees a KEY.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiAuthorizationIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static final String PASSWORD = "correct horse battery";

    static TestTenant a;
    static TestTenant b;
    static long eventOfB;
    static Http admin;
    static Http adminOfA;
    static Http support;
    static Http anonymous;

    @BeforeAll
    static void tenantsAndUsers() {
        admin = HookgateTestApp.admin(APP);
        anonymous = Http.anonymous(HookgateTestApp.baseUrl(APP));
        a = HookgateTestApp.createTenant(APP, "Tenant A");
        b = HookgateTestApp.createTenant(APP, "Tenant B");
        createUser("admin-a@agency.test", "tenant_admin", a.id());
        createUser("admin-b@agency.test", "tenant_admin", b.id());
        createUser("support@agency.test", "support", null);
        adminOfA = anonymous.basic("admin-a@agency.test", PASSWORD);
        support = anonymous.basic("support@agency.test", PASSWORD);
        assertThat(anonymous.postBytes(b.callbackUrl(), AirudderPayloads.signedSeed(b.key())).status()).isEqualTo(200);
        eventOfB = admin.get("/api/v1/tenants/" + b.id() + "/events").json().get("items").get(0).get("id").asLong();
        anonymous.post(b.callbackUrl(), "not json");
    }

    @Test
    void theApiHasTheUisPowersKeyRevealTestCallOverviewAndAuditLog() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "API powers tenant");
        String reveal = "/api/v1/tenants/" + tenant.id() + "/key/reveal";
        Http.Reply wrong = admin.post(reveal, "{\"password\": \"not the password\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asText()).isEqualTo("password");
        assertThat(wrong.body()).doesNotContain(tenant.key());
        assertThat(admin.post(reveal, "{\"password\": \"" + HookgateTestApp.ADMIN_PASSWORD + "\"}").json().get("key").asText())
            .isEqualTo(tenant.key());

        JsonNode call = admin.post("/api/v1/tenants/" + tenant.id() + "/test-call", "{}").json();
        assertThat(call.get("status").asInt()).isEqualTo(200);
        assertThat(call.get("answer").asText()).isEqualTo("{}");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?taskId=" + call.get("taskId").asText()).json().get("items")).hasSize(1);

        JsonNode overview = admin.get("/api/v1/overview?tenantId=" + tenant.id()).json();
        assertThat(overview.get("eventsReceived24h").asLong()).isEqualTo(1);
        assertThat(overview.get("hours")).hasSize(24);
        assertThat(overview.get("backlog").asLong()).as("no destination: nothing to deliver").isZero();

        assertThat(admin.patch("/api/v1/tenants/" + tenant.id(), "{\"name\": \"API powers tenant, renamed\"}").status()).isEqualTo(200);
        JsonNode entries = admin.get("/api/v1/audit?tenantId=" + tenant.id()).json().get("items");
        assertThat(entries).extracting(e -> e.get("action").asText())
            .containsSubsequence("tenant.update", "tenant.test_call", "tenant.key.reveal", "tenant.create");
        assertThat(admin.get("/api/v1/audit?tenantId=" + tenant.id() + "&action=password.confirm.").json().get("items")).hasSize(1);
        JsonNode renamed = entries.get(0).get("detail").get("changes").get(0);
        assertThat(renamed.get("field").asText()).isEqualTo("name");
        assertThat(renamed.get("from").asText()).isEqualTo("API powers tenant");
        assertThat(renamed.get("to").asText()).isEqualTo("API powers tenant, renamed");
        assertThat(admin.get("/api/v1/audit?acton=tenant.").status()).as("a misspelt filter is refused").isEqualTo(400);
    }

    static long createUser(String email, String role, Long tenantId) {
        return HookgateTestApp.createUser(APP, email, PASSWORD, role, tenantId);
    }

    @Test
    void everyRouteRequiresCredentials() {
        List<Http.Reply> replies = List.of(
            anonymous.get("/api/v1/tenants"), anonymous.post("/api/v1/tenants", "{\"name\":\"x\"}"),
            anonymous.get("/api/v1/tenants/" + a.id()), anonymous.patch("/api/v1/tenants/" + a.id(), "{}"),
            anonymous.post("/api/v1/tenants/" + a.id() + "/key/rotate", "{}"), anonymous.post("/api/v1/tenants/" + a.id() + "/token/rotate", "{}"),
            anonymous.get("/api/v1/tenants/" + a.id() + "/events"), anonymous.get("/api/v1/tenants/" + a.id() + "/rejections"),
            anonymous.get("/api/v1/events/" + eventOfB), anonymous.get("/api/v1/events?callId=x"), anonymous.get("/api/v1/rejections"), anonymous.get("/api/v1/audit"), anonymous.get("/api/v1/overview"),
            anonymous.post("/api/v1/tenants/" + a.id() + "/key/reveal", "{}"), anonymous.post("/api/v1/tenants/" + a.id() + "/test-call", "{}"),
            anonymous.get("/api/v1/users"), anonymous.post("/api/v1/users", "{}"),
            anonymous.patch("/api/v1/users/1", "{}"), anonymous.post("/api/v1/tokens", "{}"), anonymous.get("/api/v1/tokens"),
            anonymous.basic("admin@hookgate.test", "wrong password").get("/api/v1/tenants"),
            anonymous.bearer("hg_not-a-token").get("/api/v1/tenants"));
        for (Http.Reply reply : replies) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
            assertThat(reply.json().get("error").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void onlyPlatformAdminsCreateTenants() {
        assertThat(adminOfA.post("/api/v1/tenants", "{\"name\":\"Sneaky\"}").status()).isEqualTo(403);
        assertThat(support.post("/api/v1/tenants", "{\"name\":\"Sneaky\"}").status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/tenants").json().findValuesAsText("name")).doesNotContain("Sneaky");
    }

    @Test
    void tenantAdminSeesOnlyItsOwnTenant() {
        assertThat(names(adminOfA.get("/api/v1/tenants").json())).containsExactly("Tenant A");
        assertThat(adminOfA.get("/api/v1/tenants/" + a.id()).status()).isEqualTo(200);
        assertThat(adminOfA.get("/api/v1/tenants/" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/tenants/" + b.id() + "/events").status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/tenants/" + b.id() + "/rejections").status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/events/" + eventOfB).status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/events?callId=" + AirudderPayloads.SEED_CALL_ID).json().get("items"))
            .as("the search across tenants covers its own tenant only").isEmpty();
        assertThat(adminOfA.get("/api/v1/events?tenantId=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/rejections").json().get("items"))
            .as("the search of rejections across tenants covers its own tenant only").isEmpty();
        assertThat(adminOfA.get("/api/v1/rejections?tenantId=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/audit?tenantId=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.get("/api/v1/audit").json().findValuesAsText("tenantId")).doesNotContain(String.valueOf(b.id()));
        assertThat(adminOfA.get("/api/v1/overview?tenantId=" + b.id()).status()).isEqualTo(404);
        assertThat(adminOfA.post("/api/v1/tenants/" + b.id() + "/key/reveal", "{\"password\": \"" + PASSWORD + "\"}").status()).isEqualTo(404);
        assertThat(adminOfA.post("/api/v1/tenants/" + b.id() + "/test-call", "{}").status()).isEqualTo(404);
        assertThat(adminOfA.post("/api/v1/tenants/" + b.id() + "/key/rotate", "{}").status()).isEqualTo(404);
        assertThat(adminOfA.post("/api/v1/tenants/" + b.id() + "/token/rotate", "{}").status()).isEqualTo(404);
        assertThat(adminOfA.patch("/api/v1/tenants/" + b.id(), "{\"acceptUnsigned\":false}").status()).isEqualTo(404);
    }

    @Test
    void tenantAdminManagesItsKeysButNotItsStatus() {
        Instant updatedBefore = Instant.parse(admin.get("/api/v1/tenants/" + a.id()).json().get("updatedAt").asText());
        Http.Reply rotated = adminOfA.post("/api/v1/tenants/" + a.id() + "/key/rotate", "{\"graceHours\": 48}");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("key").asText()).isNotBlank();
        assertThat(Instant.parse(admin.get("/api/v1/tenants/" + a.id()).json().get("updatedAt").asText()))
            .as("a new KEY is a change to the tenant").isAfter(updatedBefore);
        assertThat(adminOfA.patch("/api/v1/tenants/" + a.id(), "{\"acceptUnsigned\":true}").status()).isEqualTo(200);
        Http.Reply suspend = adminOfA.patch("/api/v1/tenants/" + a.id(), "{\"status\":\"suspended\"}");
        assertThat(suspend.status()).isEqualTo(403);
        assertThat(admin.get("/api/v1/tenants/" + a.id()).json().get("status").asText()).isEqualTo("active");
    }

    @Test
    void supportReadsEveryTenantButChangesNothingAndNeverSeesAKey() {
        assertThat(names(support.get("/api/v1/tenants").json())).contains("Tenant A", "Tenant B");
        JsonNode tenant = support.get("/api/v1/tenants/" + b.id()).json();
        assertThat(tenant.has("key")).isFalse();
        String token = b.callbackUrl().substring(b.callbackUrl().indexOf("/hooks/") + "/hooks/".length());
        assertThat(tenant.get("callbackUrl").asText()).as("the callback URL is a credential: support sees its last four characters")
            .doesNotContain(token).endsWith("/hooks/••••••" + token.substring(token.length() - 4));
        assertThat(support.get("/api/v1/tenants").json().toString()).doesNotContain(token);
        assertThat(admin.get("/api/v1/tenants/" + b.id()).json().get("callbackUrl").asText()).endsWith("/hooks/" + token);
        assertThat(support.get("/api/v1/tenants/" + b.id() + "/events").json().get("items")).hasSize(1);
        assertThat(support.get("/api/v1/tenants/" + b.id() + "/rejections").json().get("items")).isNotEmpty();
        assertThat(support.get("/api/v1/rejections").json().findValuesAsText("tenantId")).contains(String.valueOf(b.id()));
        JsonNode event = support.get("/api/v1/events/" + eventOfB).json();
        assertThat(event.get("rawBody").asText()).doesNotContain(b.key());

        assertThat(support.post("/api/v1/tenants/" + b.id() + "/key/rotate", "{}").status()).isEqualTo(403);
        assertThat(support.post("/api/v1/tenants/" + b.id() + "/key/reveal", "{\"password\": \"" + PASSWORD + "\"}").status()).isEqualTo(403);
        assertThat(support.post("/api/v1/tenants/" + b.id() + "/test-call", "{}").status()).isEqualTo(403);
        assertThat(support.post("/api/v1/tenants/" + b.id() + "/token/rotate", "{}").status()).isEqualTo(403);
        assertThat(support.patch("/api/v1/tenants/" + b.id(), "{\"status\":\"suspended\"}").status()).isEqualTo(403);
        assertThat(support.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(support.post("/api/v1/users", Http.json(Map.of("email", "x@y.z", "password", PASSWORD, "role", "support"))).status()).isEqualTo(403);
        for (JsonNode t : admin.get("/api/v1/tenants").json()) {
            assertThat(t.has("key")).isFalse();
        }
    }

    @Test
    void tenantAdminManagesOnlyTenantAdminsOfItsOwnTenant() {
        Http.Reply own = adminOfA.post("/api/v1/users", Http.json(Map.of("email", "second-a@agency.test", "password", PASSWORD, "role", "tenant_admin")));
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        assertThat(own.json().get("tenantId").asLong()).isEqualTo(a.id());
        assertThat(adminOfA.post("/api/v1/users", Http.json(Map.of("email", "x-b@agency.test", "password", PASSWORD,
            "role", "tenant_admin", "tenantId", b.id()))).status()).isEqualTo(403);
        assertThat(adminOfA.post("/api/v1/users", Http.json(Map.of("email", "x-s@agency.test", "password", PASSWORD,
            "role", "support"))).status()).isEqualTo(403);

        List<String> visible = adminOfA.get("/api/v1/users").json().findValuesAsText("email");
        assertThat(visible).contains("admin-a@agency.test", "second-a@agency.test").doesNotContain("admin-b@agency.test", "support@agency.test");

        long userOfB = findUser("admin-b@agency.test");
        assertThat(adminOfA.patch("/api/v1/users/" + userOfB, "{\"disabled\":true}").status()).isEqualTo(404);
        long supportUser = findUser("support@agency.test");
        assertThat(adminOfA.patch("/api/v1/users/" + supportUser, "{\"role\":\"tenant_admin\",\"tenantId\":" + a.id() + "}").status()).isEqualTo(404);
    }

    @Test
    void everyoneChangesTheirOwnPasswordButNotTheirOwnRole() {
        long id = createUser("self@agency.test", "support", null);
        Http self = anonymous.basic("self@agency.test", PASSWORD);
        assertThat(self.patch("/api/v1/users/" + id, "{\"role\":\"platform_admin\"}").status()).isEqualTo(403);
        assertThat(self.patch("/api/v1/users/" + id, "{\"role\":\"support\",\"disabled\":false,\"password\":\"a brand new password\"}")
            .status()).as("the role and state it already has, sent back with a new password").isEqualTo(200);
        assertThat(self.get("/api/v1/users/me").status()).isEqualTo(401);
        assertThat(anonymous.basic("self@agency.test", "a brand new password").get("/api/v1/users/me").json().get("role").asText())
            .isEqualTo("support");
    }

    @Test
    void anAccountLockedByFailedSignInsIsShownAndAnAdminCanUnlockIt() {
        long id = createUser("forgetful@agency.test", "tenant_admin", a.id());
        for (int i = 0; i < 5; i++) {
            assertThat(anonymous.basic("forgetful@agency.test", "wrong password " + i).get("/api/v1/users/me").status()).isEqualTo(401);
        }
        Http forgetful = anonymous.basic("forgetful@agency.test", PASSWORD);
        assertThat(forgetful.get("/api/v1/users/me").status()).as("locked: even the right password").isEqualTo(401);
        assertThat(admin.get("/api/v1/users/" + id).json().get("lockedUntil").isNull()).isFalse();
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
            HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(ui.get("/users/" + id).body()).contains("this account is locked until").contains("Unlock now");

        assertThat(adminOfA.post("/api/v1/users/" + id + "/unlock", null).status()).as("its tenant's admin may unlock it").isEqualTo(200);
        assertThat(admin.get("/api/v1/users/" + id).json().get("lockedUntil").isNull()).isTrue();
        assertThat(forgetful.get("/api/v1/users/me").status()).isEqualTo(200);
        assertThat(adminOfA.post("/api/v1/users/" + findUser("support@agency.test") + "/unlock", null).status())
            .as("not a user outside its tenant").isEqualTo(404);
        assertThat(ui.get("/audit?action=user.unlock").body()).contains("user " + id);
    }

    @Test
    void disabledUsersAndTheirTokensAreLockedOutAtOnce() {
        long id = createUser("leaver@agency.test", "support", null);
        Http leaver = anonymous.basic("leaver@agency.test", PASSWORD);
        String token = leaver.post("/api/v1/tokens", "{\"name\":\"script\"}").json().get("token").asText();
        assertThat(anonymous.bearer(token).get("/api/v1/tenants").status()).isEqualTo(200);

        assertThat(admin.patch("/api/v1/users/" + id, "{\"disabled\":true}").status()).isEqualTo(200);

        assertThat(leaver.get("/api/v1/tenants").status()).isEqualTo(401);
        assertThat(anonymous.bearer(token).get("/api/v1/tenants").status()).isEqualTo(401);
    }

    @Test
    void apiTokenIsShownOnceWorksAsBearerAndCanBeRevoked() {
        JsonNode created = adminOfA.post("/api/v1/tokens", "{\"name\":\"ci\"}").json();
        String token = created.get("token").asText();
        assertThat(token).startsWith("hg_");
        assertThat(adminOfA.get("/api/v1/tokens").json().findValuesAsText("token")).isEmpty();
        Http bearer = anonymous.bearer(token);
        assertThat(names(bearer.get("/api/v1/tenants").json())).containsExactly("Tenant A");

        assertThat(adminOfA.delete("/api/v1/tokens/" + created.get("id").asLong()).status()).isEqualTo(204);
        assertThat(bearer.get("/api/v1/tenants").status()).as("revoked a moment ago").isEqualTo(401);
        assertThat(support.delete("/api/v1/tokens/" + created.get("id").asLong()).status()).isEqualTo(404);
    }

    @Test
    void repeatedWrongPasswordsLockTheAccountEvenForTheRightOneAndTheLockIsAudited() {
        long id = createUser("target@agency.test", "support", null);
        Http owner = anonymous.basic("target@agency.test", PASSWORD);
        assertThat(owner.get("/api/v1/users/me").status()).as("the right password, just verified").isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(anonymous.basic("target@agency.test", "guess " + i).get("/api/v1/users/me").status()).isEqualTo(401);
        }
        assertThat(owner.get("/api/v1/users/me").status()).as("locked: the right password, even one verified a moment ago")
            .isEqualTo(401);
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
            HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(ui.get("/audit?action=login.locked").body()).contains("user " + id).contains("target@agency.test");
    }

    @Test
    void invalidInputIsExplainedField() {
        Http.Reply reply = admin.post("/api/v1/users", Http.json(Map.of("email", "not-an-email", "password", PASSWORD, "role", "support")));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).isEqualTo("email");
        Http.Reply shortPassword = admin.post("/api/v1/users", Http.json(Map.of("email", "p@agency.test", "password", "short", "role", "support")));
        assertThat(shortPassword.json().get("field").asText()).isEqualTo("password");
        Http.Reply duplicate = admin.post("/api/v1/users", Http.json(Map.of("email", "SUPPORT@agency.test", "password", PASSWORD, "role", "support")));
        assertThat(duplicate.status()).isEqualTo(409);
        Http.Reply unknownField = admin.post("/api/v1/tenants", "{\"name\":\"x\",\"nmae\":\"typo\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(unknownField.json().get("field").asText()).isEqualTo("nmae");
        assertThat(unknownField.json().get("message").asText()).contains("unknown field \"nmae\"").contains("name")
            .doesNotContain("class").doesNotContain("io.hookgate");
        Http.Reply wrongType = admin.patch("/api/v1/tenants/" + a.id(), "{\"retentionDays\": \"forever\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("field").asText()).isEqualTo("retentionDays");
        assertThat(wrongType.json().get("message").asText()).doesNotContain("io.hookgate");
        Http.Reply noName = admin.post("/api/v1/tenants", "{}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asText()).isEqualTo("name");
    }

    private static long findUser(String email) {
        for (JsonNode user : admin.get("/api/v1/users").json()) {
            if (user.get("email").asText().equals(email)) {
                return user.get("id").asLong();
            }
        }
        throw new AssertionError("no user " + email);
    }

    private static List<String> names(JsonNode tenants) {
        List<String> names = new ArrayList<>();
        tenants.forEach(t -> names.add(t.get("name").asText()));
        return names;
    }
}
