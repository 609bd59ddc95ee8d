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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users, account and audit pages as a person uses them: signed in through the real login form, forms posted
 * with the session's CSRF token, answers read as HTML. Each role sees and changes only what the services allow.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UserPagesIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static final String PASSWORD = "correct horse battery";

    static String base;
    static Http api;
    static TestTenant a;
    static TestTenant b;
    static long adminOfBId;
    static Browserless admin;

    @BeforeAll
    static void tenantsAndUsers() {
        base = HookgateTestApp.baseUrl(APP);
        api = HookgateTestApp.admin(APP);
        a = HookgateTestApp.createTenant(APP, "Tenant A");
        b = HookgateTestApp.createTenant(APP, "Tenant B");
        createUser("admin-a@agency.test", "tenant_admin", a.id());
        adminOfBId = createUser("admin-b@agency.test", "tenant_admin", b.id());
        createUser("support@agency.test", "support", null);
        admin = Browserless.signIn(base, HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
    }

    static long createUser(String email, String role, Long tenantId) {
        return HookgateTestApp.createUser(APP, email, PASSWORD, role, tenantId);
    }

    static Map<String, String> form(String... pairs) {
        return Browserless.form(pairs);
    }

    static boolean userExists(String email) {
        return api.get("/api/v1/users").json().findValuesAsText("email").contains(email);
    }

    @Test
    void platformAdminCreatesUsersThroughTheFormAndSeesThemListed() {
        Page list = admin.get("/users");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("<label for=\"email\"", "<label for=\"password\"", "<label for=\"role\"", "<label for=\"tenant\"",
            "Tenant A", "Tenant B", "admin-b@agency.test");

        Page created = admin.postForm("/users", form("email", "new-support@agency.test", "password", PASSWORD, "role", "support",
            "tenant", ""));
        assertThat(created.status()).as(created.toString()).isEqualTo(303);
        assertThat(created.location()).contains("/users?notice=user-created");
        Page after = admin.follow(created);
        assertThat(after.body()).contains("User created.", "new-support@agency.test");

        Page tenantAdmin = admin.postForm("/users", form("email", "made-for-a@agency.test", "password", PASSWORD, "role", "tenant_admin",
            "tenant", Long.toString(a.id())));
        assertThat(tenantAdmin.status()).as(tenantAdmin.toString()).isEqualTo(303);
        assertThat(api.get("/api/v1/users").json().findParents("email").stream()
            .filter(u -> u.get("email").asText().equals("made-for-a@agency.test")).findFirst().orElseThrow()
            .get("tenantId").asLong()).isEqualTo(a.id());
        Browserless.signIn(base, "new-support@agency.test", PASSWORD);
    }

    @Test
    void pagesWithLinksToOtherPagesRender() {
        // @{/…} links need a link builder that knows the site root: the engine has no servlet context
        assertThat(admin.get("/tenants").body()).contains("href=\"/tenants/" + a.id() + "\"");
        assertThat(admin.get("/tenants/" + a.id()).status()).isEqualTo(200);
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenIsRefusedAndChangesNothing() {
        Map<String, String> fields = form("email", "forged@agency.test", "password", PASSWORD, "role", "platform_admin", "tenant", "");
        Page missing = admin.postForm("/users", fields, false);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("This form has expired");
        Map<String, String> wrong = new LinkedHashMap<>(fields);
        wrong.put("_csrf", "not-the-session-token");
        assertThat(admin.postForm("/users", wrong, false).status()).isEqualTo(403);
        // another session's token is no better
        Browserless other = Browserless.signIn(base, "admin-a@agency.test", PASSWORD);
        other.get("/users");
        wrong.put("_csrf", other.csrf().orElseThrow());
        assertThat(admin.postForm("/users", wrong, false).status()).isEqualTo(403);

        assertThat(userExists("forged@agency.test")).isFalse();
        assertThat(admin.get("/users").body()).doesNotContain("forged@agency.test");
    }

    @Test
    void supportCannotSeeOrChangeUsers() {
        Browserless support = Browserless.signIn(base, "support@agency.test", PASSWORD);
        Page users = support.get("/users");
        assertThat(users.status()).isEqualTo(403);
        assertThat(users.body()).contains("the support role cannot list users").doesNotContain("admin-a@agency.test");
        assertThat(support.get("/").body()).doesNotContain("href=\"/users\"");
        assertThat(support.get("/users/" + adminOfBId).status()).isEqualTo(404);
        Page create = support.postForm("/users", form("email", "by-support@agency.test", "password", PASSWORD, "role", "support"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(userExists("by-support@agency.test")).isFalse();
    }

    @Test
    void tenantAdminSeesAndCreatesOnlyItsTenantsUsers() {
        Browserless adminOfA = Browserless.signIn(base, "admin-a@agency.test", PASSWORD);
        Page list = adminOfA.get("/users");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("admin-a@agency.test", "Tenant A")
            .doesNotContain("admin-b@agency.test", "support@agency.test", HookgateTestApp.ADMIN_EMAIL + "</a>", "Tenant B",
                "name=\"role\"", "name=\"tenant\"");

        Page created = adminOfA.postForm("/users", form("email", "second-a@agency.test", "password", PASSWORD));
        assertThat(created.status()).as(created.toString()).isEqualTo(303);
        assertThat(adminOfA.follow(created).body()).contains("second-a@agency.test");
        assertThat(api.get("/api/v1/users").json().findParents("email").stream()
            .filter(u -> u.get("email").asText().equals("second-a@agency.test")).findFirst().orElseThrow()
            .get("tenantId").asLong()).isEqualTo(a.id());

        // nothing else may be chosen, even by editing the form
        Page support = adminOfA.postForm("/users", form("email", "sneaky@agency.test", "password", PASSWORD, "role", "support"));
        assertThat(support.status()).isEqualTo(403);
        Page otherTenant = adminOfA.postForm("/users", form("email", "sneaky-b@agency.test", "password", PASSWORD, "role", "tenant_admin",
            "tenant", Long.toString(b.id())));
        assertThat(otherTenant.status()).isEqualTo(403);
        assertThat(userExists("sneaky@agency.test") || userExists("sneaky-b@agency.test")).isFalse();
        assertThat(adminOfA.get("/users/" + adminOfBId).status()).isEqualTo(404);
        assertThat(adminOfA.postForm("/users/" + adminOfBId, form("disabled", "on")).status()).isEqualTo(404);
    }

    @Test
    void changingYourPasswordSignsYouOutAndTheNewPasswordWorks() {
        createUser("changer@agency.test", "support", null);
        Browserless me = Browserless.signIn(base, "changer@agency.test", PASSWORD);
        Browserless elsewhere = Browserless.signIn(base, "changer@agency.test", PASSWORD);
        Page account = me.get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("changer@agency.test", "support", "<label for=\"current\"", "<label for=\"new-password\"",
            "<label for=\"repeat\"");

        String next = "a brand new passphrase";
        Page wrongCurrent = me.postForm("/account/password", form("current", "not my password", "password", next, "repeat", next));
        assertThat(wrongCurrent.status()).as("not left on the POST, which a reload would send again").isEqualTo(303);
        assertThat(me.follow(wrongCurrent).body()).contains("That password is not right: the password was not changed");
        assertThat(me.get(wrongCurrent.location().orElseThrow()).body()).as("said once").doesNotContain("That password is not right");
        me.get("/account");
        Page differ = me.postForm("/account/password", form("current", PASSWORD, "password", next, "repeat", next + "!"));
        assertThat(differ.status()).isEqualTo(400);
        assertThat(differ.body()).contains("two new passwords differ");
        Page tooShort = me.postForm("/account/password", form("current", PASSWORD, "password", "short", "repeat", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("must be at least 10 characters");
        assertThat(me.get("/").status()).isEqualTo(200); // still signed in after the refusals

        Page changed = me.postForm("/account/password", form("current", PASSWORD, "password", next, "repeat", next));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(303);
        assertThat(changed.location()).contains("/login?notice=password-changed");
        assertThat(me.follow(changed).body()).contains("Your password was changed");
        assertThat(me.get("/").location().orElse("")).startsWith("/login");
        assertThat(elsewhere.get("/").location().orElse("")).startsWith("/login");

        assertThat(new Browserless(base).login("changer@agency.test", PASSWORD).status()).isEqualTo(401);
        Browserless again = Browserless.signIn(base, "changer@agency.test", next);
        assertThat(again.get("/account").body()).contains("changer@agency.test");
    }

    @Test
    void anApiTokenMadeOnTheAccountPageIsShownOnceWorksAndStopsWhenRevoked() {
        createUser("scripter@agency.test", "support", null);
        Browserless me = Browserless.signIn(base, "scripter@agency.test", PASSWORD);
        assertThat(me.get("/account").body()).contains("You have no API token");

        Page tooLong = me.postForm("/account/tokens", form("name", "x".repeat(101)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body()).contains("Name: must be at most 100 characters");

        Page created = me.postForm("/account/tokens", form("name", "nightly export"));
        assertThat(created.status()).isEqualTo(303);
        Page shown = me.follow(created);
        Matcher secret = Pattern.compile("<code id=\"new-token\">(hg_[^<]+)</code>").matcher(shown.body());
        assertThat(secret.find()).as(shown.body()).isTrue();
        assertThat(shown.body()).contains("shown only once").contains("nightly export").contains("class=\"muted\">never</span>");
        assertThat(me.get(created.location().orElseThrow()).body()).as("a reload does not show it again").doesNotContain(secret.group(1));

        Http script = Http.anonymous(base).bearer(secret.group(1));
        assertThat(script.get("/api/v1/tenants").status()).isEqualTo(200);
        assertThat(me.get("/account").body()).as("its last use is shown").doesNotContain("class=\"muted\">never</span>");

        long id = script.get("/api/v1/tokens").json().get(0).get("id").asLong();
        Page revoked = me.postForm("/account/tokens/" + id + "/revoke", form());
        assertThat(me.follow(revoked).body()).contains("API token revoked").contains("You have no API token");
        assertThat(script.get("/api/v1/tenants").status()).isEqualTo(401);
        assertThat(admin.postForm("/account/tokens/" + id + "/revoke", form()).status()).as("someone else's token is not found").isEqualTo(404);
    }

    @Test
    void validationErrorsComeBackOnTheFormWithWhatWasTyped() {
        Page refused = admin.postForm("/users", form("email", "typed@agency.test", "password", "tiny-pw", "role", "support", "tenant", ""));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("Password: must be at least 10 characters", "value=\"typed@agency.test\"")
            .doesNotContain("tiny-pw");
        assertThat(refused.body()).containsPattern("<option value=\"support\" selected=\"selected\">support</option>");
        assertThat(userExists("typed@agency.test")).isFalse();

        Page noTenant = admin.postForm("/users", form("email", "typed@agency.test", "password", PASSWORD, "role", "tenant_admin", "tenant", ""));
        assertThat(noTenant.status()).isEqualTo(400);
        assertThat(noTenant.body()).contains("Tenant: is required for a tenant_admin");

        Page duplicate = admin.postForm("/users", form("email", "ADMIN-A@agency.test", "password", PASSWORD, "role", "support", "tenant", ""));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body()).contains("already exists", "value=\"ADMIN-A@agency.test\"");

        Page edit = admin.postForm("/users/" + adminOfBId, form("role", "tenant_admin", "tenant", Long.toString(b.id()), "password", "tiny-pw"));
        assertThat(edit.status()).isEqualTo(400);
        assertThat(edit.body()).contains("Password: must be at least 10 characters").doesNotContain("tiny-pw");
    }

    @Test
    void platformAdminEditsAUser() {
        long id = createUser("edited@agency.test", "tenant_admin", a.id());
        Page page = admin.get("/users/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("edited@agency.test", "<label for=\"role\"", "<label for=\"tenant\"", "name=\"disabled\"",
            "<label for=\"password\"");

        Page moved = admin.postForm("/users/" + id, form("role", "tenant_admin", "tenant", Long.toString(b.id()), "password", ""));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(303);
        assertThat(moved.location()).contains("/users/" + id + "?notice=user-saved");
        assertThat(admin.follow(moved).body()).contains("User saved.", "Tenant B");
        assertThat(api.get("/api/v1/users/" + id).json().get("tenantId").asLong()).isEqualTo(b.id());

        Page disabled = admin.postForm("/users/" + id, form("role", "tenant_admin", "tenant", Long.toString(b.id()), "disabled", "on",
            "password", ""));
        assertThat(disabled.status()).isEqualTo(303);
        assertThat(new Browserless(base).login("edited@agency.test", PASSWORD).status()).isEqualTo(401);

        Page support = admin.postForm("/users/" + id, form("role", "support", "tenant", Long.toString(b.id()), "password", ""));
        assertThat(support.status()).as(support.toString()).isEqualTo(303);
        var json = api.get("/api/v1/users/" + id).json();
        assertThat(json.get("role").asText()).isEqualTo("support");
        assertThat(json.get("tenantId").isNull()).isTrue();
        assertThat(json.get("disabled").asBoolean()).isFalse();

        // your own user is changed on the account page, with your password
        long self = api.get("/api/v1/users/me").json().get("id").asLong();
        assertThat(admin.get("/users/" + self).location()).contains("/account");
        assertThat(admin.postForm("/users/" + self, form("password", "taken over by a stolen session")).status()).isEqualTo(403);
    }

    @Test
    void auditLogShowsEachRoleWhatItMaySee() {
        // filtered: other tests add entries, and a page holds the newest 50
        Page all = admin.get("/audit?action=user.create");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains("user.create", "admin-a@agency.test", "admin-b@agency.test", "Tenant B");

        Page actionAndActor = admin.get("/audit?action=user.create&actor=" + HookgateTestApp.ADMIN_EMAIL);
        assertThat(actionAndActor.status()).as("both filters at once").isEqualTo(200);
        assertThat(actionAndActor.body()).contains("admin-a@agency.test");

        Page ofB = admin.get("/audit?action=user.&tenant=" + b.id());
        assertThat(ofB.status()).isEqualTo(200);
        assertThat(ofB.body()).contains("admin-b@agency.test").doesNotContain("admin-a@agency.test");
        assertThat(ofB.body()).as("the target links to its page").contains("<a href=\"/users/" + adminOfBId + "\">user " + adminOfBId + "</a>");

        Browserless adminOfA = Browserless.signIn(base, "admin-a@agency.test", PASSWORD);
        Page mine = adminOfA.get("/audit?action=user.");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body()).contains("user.create", "admin-a@agency.test", "Tenant A")
            .doesNotContain("admin-b@agency.test", "Tenant B", "support@agency.test");
        assertThat(adminOfA.get("/audit?tenant=" + b.id()).status()).isEqualTo(404);

        Browserless support = Browserless.signIn(base, "support@agency.test", PASSWORD);
        Page seenBySupport = support.get("/audit?action=user.create");
        assertThat(seenBySupport.body()).contains("admin-a@agency.test", "admin-b@agency.test");
        assertThat(seenBySupport.body()).as("support has no users page to link to").doesNotContain("href=\"/users/" + adminOfBId + "\"")
            .contains(">user " + adminOfBId + "</span>");

        Page badDate = admin.get("/audit?from=yesterday");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.body()).contains("From: must be a date and time");
        assertThat(admin.get("/audit?action=no.such.action").body()).contains("No entry matches these filters");
    }

    @Test
    void auditDetailsAreEscapedAndPagesGoBackBy50() {
        String hostile = "<script>alert(1)</script>@evil.test";
        createUser(hostile, "support", null);
        Page users = admin.get("/users");
        assertThat(users.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.test");
        Page audit = admin.get("/audit?action=user.create");
        assertThat(audit.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)&lt;/script&gt;@evil.test");
        assertThat(audit.body()).as("the detail a line per field, not a line of JSON").contains("<div class=\"muted\">role: support</div>");

        for (int i = 0; i < 55; i++) {
            assertThat(api.post("/api/v1/tokens", Http.json(Map.of("name", "token " + i))).status()).isIn(200, 201);
        }
        Page first = admin.get("/audit?action=token.create");
        assertThat(count(first.body(), ">token.create<")).isEqualTo(50);
        Matcher older = Pattern.compile("href=\"(/audit\\?action=token\\.create&amp;before=\\d+)\"").matcher(first.body());
        assertThat(older.find()).as(first.body()).isTrue();
        Page second = admin.get(older.group(1).replace("&amp;", "&"));
        assertThat(second.status()).isEqualTo(200);
        assertThat(count(second.body(), ">token.create<")).isEqualTo(5);
        assertThat(second.body()).doesNotContain("Older entries").contains("Newest");
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
