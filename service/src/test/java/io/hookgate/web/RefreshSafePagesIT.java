package io.hookgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.svix.Webhook;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.Browserless.Page;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forms whose result used to be rendered by the POST now redirect (303) to a page, so reloading that page sends
 * nothing again: onboarding a tenant, a destination's "Send test", rotating or revealing (password confirmed) a
 * tenant's KEY or a destination's signing secret, a tenant's "Send a test call". A secret the POST's page showed is
 * shown once by the page it redirects to, a test's outcome on every load of it for 10 minutes (to its sender only),
 * and neither a secret nor a result travels in the URL.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RefreshSafePagesIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static final Pattern KEY = Pattern.compile("<code id=\"tenant-key\">([^<]+)</code>");
    static final Pattern CALLBACK_URL = Pattern.compile("<code id=\"callback-url\">([^<]+)</code>");
    static final Pattern SECRET = Pattern.compile("<code id=\"signing-secret\">([^<]+)</code>");
    static final Pattern REFRESH = Pattern.compile("<meta http-equiv=\"refresh\" content=\"1; url=([^\"]+)\">");

    static Http api;
    static Browserless admin;

    @BeforeAll
    static void signIn() {
        api = HookgateTestApp.admin(APP);
        admin = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
    }

    @Test
    void onboardingRedirectsToAPageThatShowsTheKeyOnceAndAReloadCreatesNothing() {
        admin.get("/tenants");
        Page posted = admin.postForm("/tenants", Map.of("name", "Reload Collections", "key", ""));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
        String location = posted.location().orElseThrow();
        assertThat(location).matches("/tenants/\\d+/onboarding\\?shown=[A-Za-z0-9_-]+");

        Page shown = admin.follow(posted);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("Register Reload Collections with AIRUDDER", "Copy these two values into AIRUDDER now",
            "Send a test call", "/info_check");
        String key = group(KEY, shown.body());
        String callbackUrl = group(CALLBACK_URL, shown.body());
        assertThat(location).doesNotContain(key);
        Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
        assertThat(airudder.postBytes(HookgateTestApp.localCallbackUrl(APP, callbackUrl), AirudderPayloads.signedSeed(key)).status())
            .as("the KEY shown is the tenant's").isEqualTo(200);

        Page reloaded = admin.get(location);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(reloaded.body()).contains(callbackUrl, "shown once, when the tenant was created").doesNotContain(key)
            .doesNotContain("id=\"tenant-key\"");
        assertThat(api.get("/api/v1/tenants").json().findValuesAsText("name")).containsOnlyOnce("Reload Collections");
    }

    @Test
    void anotherUserCannotReadTheKeyFromTheOnboardingUrl() {
        admin.get("/tenants");
        Page posted = admin.postForm("/tenants", Map.of("name", "Leaky Link Collections"));
        HookgateTestApp.createUser(APP, "colleague@agency.test", "correct horse battery", "platform_admin", null);
        Browserless colleague = Browserless.signIn(HookgateTestApp.baseUrl(APP), "colleague@agency.test", "correct horse battery");
        Page theirs = colleague.follow(posted);
        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.body()).contains("Register Leaky Link Collections").doesNotContain("id=\"tenant-key\"");
        assertThat(admin.follow(posted).body()).as("still there for its owner").contains("id=\"tenant-key\"");
    }

    @Test
    void aRefusedOnboardingStaysOnTheFormWithItsError() {
        admin.get("/tenants");
        Page refused = admin.postForm("/tenants", Map.of("name", "  "));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.location()).isEmpty();
        assertThat(refused.body()).contains("role=\"alert\"", "<form");
    }

    @Test
    void sendTestRedirectsToTheDestinationPageWhichShowsTheReceiversAnswerAgainOnAReloadThatSendsNothing() throws InterruptedException {
        TestReceiver receiver = TestReceiver.start()
            .answering(n -> new TestReceiver.Answer(503, Map.of(), "down for maintenance until noon", Duration.ZERO));
        try {
            long destination = destination(HookgateTestApp.createTenant(APP, "Test Send Collections"), receiver).get("id").asLong();
            admin.get("/destinations/" + destination);

            Page posted = admin.postForm("/destinations/" + destination + "/test", Map.of());
            assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
            assertThat(posted.location().orElseThrow()).startsWith("/destinations/" + destination + "?");
            assertThat(receiver.received()).hasSize(1);

            Page shown = admin.follow(posted);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.body()).contains("Test send", "failed", "HTTP 503", "down for maintenance until noon")
                .containsPattern("after \\d+ ms|after <span>\\d+</span> ms");

            Page reloaded = admin.follow(posted);
            assertThat(reloaded.status()).isEqualTo(200);
            assertThat(reloaded.body()).contains("Test send", "HTTP 503", "down for maintenance until noon");
            assertThat(signedInFor("colleague.test.send@agency.test").follow(posted).body()).as("the sender's alone")
                .doesNotContain("Test send").doesNotContain("down for maintenance");
            Thread.sleep(300);
            assertThat(receiver.received()).as("reloading sends nothing").hasSize(1);
        } finally {
            receiver.close();
        }
    }

    @Test
    void rotatingTheKeyRedirectsToTheTenantPageWhichShowsTheNewKeyOnceAndAReloadRotatesNothing() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Rotate Reload Collections");
        admin.get("/tenants/" + tenant.id());
        Page posted = admin.postForm("/tenants/" + tenant.id() + "/key/rotate", Map.of("graceHours", "0"));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
        String location = posted.location().orElseThrow();
        assertThat(location).matches("/tenants/" + tenant.id() + "\\?shown=[A-Za-z0-9_-]+");

        Page shown = admin.follow(posted);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).as("a grace of 0: no time to tell of, the old KEY is refused already")
            .contains("New KEY created. The old KEY stopped working at once").doesNotContain("Enter it in AIRUDDER before");
        String key = group(KEY, shown.body());
        assertThat(key).isNotEqualTo(tenant.key());
        assertThat(location).doesNotContain(key);
        assertThat(notify(tenant, key)).as("the KEY shown is the current one").isEqualTo(200);
        assertThat(notify(tenant, tenant.key())).as("a grace of 0 cuts the old KEY").isEqualTo(401);

        Page reloaded = admin.get(location);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(reloaded.body()).contains("Reveal KEY").doesNotContain(key).doesNotContain("id=\"tenant-key\"")
            .doesNotContain("New KEY created");
        assertThat(notify(tenant, key)).as("the reload rotated nothing: the KEY the user copied still verifies").isEqualTo(200);
        assertThat(admin.get("/audit?action=tenant.key.rotate&tenant=" + tenant.id()).body()).as("one rotation in the audit log")
            .containsOnlyOnce("<span class=\"badge\">tenant.key.rotate</span>")
            .as("the grace as typed").contains(">graceHours: 0</div>");
    }

    @Test
    void rotatingTheSigningSecretRedirectsToTheDestinationPageWhichShowsItOnceAndAReloadRotatesNothing() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            TestTenant tenant = HookgateTestApp.createTenant(APP, "Secret Reload Collections");
            long destination = destination(tenant, receiver).get("id").asLong();
            admin.get("/destinations/" + destination);
            Page posted = admin.postForm("/destinations/" + destination + "/secret/rotate", Map.of("graceHours", "0"));
            assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
            String location = posted.location().orElseThrow();
            assertThat(location).matches("/destinations/" + destination + "\\?shown=[A-Za-z0-9_-]+");

            Page shown = admin.follow(posted);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(shown.body()).contains("New signing secret created; the previous one no longer signs")
                .doesNotContain("keeps signing until");
            String secret = group(SECRET, shown.body());
            assertThat(location).doesNotContain(secret);
            assertSignsWith(secret, destination, receiver);

            Page reloaded = admin.get(location);
            assertThat(reloaded.status()).isEqualTo(200);
            assertThat(reloaded.body()).contains("Reveal secret").doesNotContain(secret).doesNotContain("id=\"signing-secret\"")
                .doesNotContain("New signing secret created");
            assertSignsWith(secret, destination, receiver);
            assertThat(admin.get("/audit?action=destination.secret.rotate&tenant=" + tenant.id()).body()).as("one rotation in the audit log")
                .containsOnlyOnce("<span class=\"badge\">destination.secret.rotate</span>");
        }
    }

    @Test
    void revealingTheKeyRedirectsToAPageThatShowsItOnceAndAWrongPasswordIsNotSentAgainByAReload() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Reveal Reload Collections");
        Browserless guesser = signedInFor("guesser.key@agency.test");
        guesser.get("/tenants/" + tenant.id());
        Page wrong = guesser.postForm("/tenants/" + tenant.id() + "/key/reveal", Map.of("password", "not my password"));
        assertRefusedOnceWithoutResending(guesser, wrong, "/tenants/" + tenant.id(), "That password is not right: the KEY stays hidden.",
            tenant.key(), "guesser.key@agency.test");
        admin.get("/tenants/" + tenant.id());

        Page posted = admin.postForm("/tenants/" + tenant.id() + "/key/reveal", Map.of("password", HookgateTestApp.ADMIN_PASSWORD));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
        String location = posted.location().orElseThrow();
        assertThat(location).matches("/tenants/" + tenant.id() + "\\?shown=[A-Za-z0-9_-]+").doesNotContain(tenant.key());

        Page shown = admin.follow(posted);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(group(KEY, shown.body())).isEqualTo(tenant.key());
        assertThat(shown.body()).doesNotContain("Reveal KEY").doesNotContain("New KEY created");

        Page reloaded = admin.get(location);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(reloaded.body()).contains("Reveal KEY").doesNotContain(tenant.key()).doesNotContain("id=\"tenant-key\"");
    }

    @Test
    void revealingTheSigningSecretRedirectsToAPageThatShowsItOnceAndAWrongPasswordIsNotSentAgainByAReload() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()) {
            JsonNode created = destination(HookgateTestApp.createTenant(APP, "Secret Reveal Collections"), receiver);
            long destination = created.get("id").asLong();
            String secret = created.get("signingSecret").asText();
            Browserless guesser = signedInFor("guesser.secret@agency.test");
            guesser.get("/destinations/" + destination);
            Page wrong = guesser.postForm("/destinations/" + destination + "/secret/reveal", Map.of("password", "not my password"));
            assertRefusedOnceWithoutResending(guesser, wrong, "/destinations/" + destination,
                "That password is not right: the secret stays hidden.", secret, "guesser.secret@agency.test");
            admin.get("/destinations/" + destination);

            Page posted = admin.postForm("/destinations/" + destination + "/secret/reveal", Map.of("password", HookgateTestApp.ADMIN_PASSWORD));
            assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
            String location = posted.location().orElseThrow();
            assertThat(location).matches("/destinations/" + destination + "\\?shown=[A-Za-z0-9_-]+").doesNotContain(secret);

            Page shown = admin.follow(posted);
            assertThat(shown.status()).isEqualTo(200);
            assertThat(group(SECRET, shown.body())).isEqualTo(secret);
            JsonNode audited = HookgateTestApp.admin(APP).get("/api/v1/audit?action=destination.secret.reveal").json().get("items");
            assertThat(audited).as("each reveal is audited, as a KEY's is").anySatisfy(entry ->
                assertThat(entry.get("target").asText()).isEqualTo("destination " + destination));
            assertThat(shown.body()).doesNotContain("Reveal secret").doesNotContain("New signing secret created");

            Page reloaded = admin.get(location);
            assertThat(reloaded.status()).isEqualTo(200);
            assertThat(reloaded.body()).contains("Reveal secret").doesNotContain(secret).doesNotContain("id=\"signing-secret\"");
        }
    }

    @Test
    void testCallRedirectsWithAFlashIdOnlyAndAUrlCraftedWithAnAnswerShowsNoneOfIt() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Test Call Collections");
        assertThat(api.patch("/api/v1/tenants/" + tenant.id(), "{\"status\": \"suspended\"}").status()).isEqualTo(200);
        admin.get("/tenants/" + tenant.id());
        Page posted = admin.postForm("/tenants/" + tenant.id() + "/test-call", Map.of());
        assertThat(posted.status()).as(posted.toString()).isEqualTo(303);
        String location = posted.location().orElseThrow();
        assertThat(location).matches("/tenants/" + tenant.id() + "/test-call\\?shown=[A-Za-z0-9_-]+");

        Page shown = admin.follow(posted);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).contains("Test call for Test Call Collections", "no, HTTP 403", "tenant_suspended");
        Page reloaded = admin.get(location);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(reloaded.body()).as("a reload shows the same test call").contains("no, HTTP 403", "tenant_suspended");
        Page colleagues = signedInFor("colleague.test.call@agency.test").get(location);
        assertThat(colleagues.body()).as("the sender's alone").contains("no longer kept").doesNotContain("tenant_suspended")
            .doesNotContain("HTTP 403");

        Page crafted = admin.get("/tenants/" + tenant.id() + "/test-call?task=" + AirudderPayloads.SEED_TASK_ID + "&status=503&answer="
            + URLEncoder.encode("Your KEY leaked: call +1 555 0100 now", StandardCharsets.UTF_8));
        assertThat(crafted.status()).isEqualTo(200);
        assertThat(crafted.body()).doesNotContain("Your KEY leaked").doesNotContain("555 0100").doesNotContain("HTTP 503")
            .doesNotContain(AirudderPayloads.SEED_TASK_ID);
    }

    @Test
    void testCallPageThatUpdatesItselfKeepsShowingTheResultUntilTheDeliveryEnds() throws Exception {
        try (TestReceiver receiver = TestReceiver.start()
            .answering(n -> new TestReceiver.Answer(200, Map.of(), "{}", Duration.ofSeconds(3)))) {
            TestTenant tenant = HookgateTestApp.createTenant(APP, "Slow Receiver Collections");
            destination(tenant, receiver);
            admin.get("/tenants/" + tenant.id());
            Page first = admin.follow(admin.postForm("/tenants/" + tenant.id() + "/test-call", Map.of()));
            assertThat(first.body()).contains("yes, 200", "pending");
            String next = group(REFRESH, first.body());
            assertThat(next).matches("/tenants/" + tenant.id() + "/test-call\\?shown=[A-Za-z0-9_-]+");

            Page updated = admin.get(next);
            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.body()).as("the next load shows the same test call").contains("yes, 200", "Stored:", "Sleepy CRM")
                .doesNotContain("no longer kept");
        }
    }

    @Test
    void testCallPageStopsUpdatingAfterAFailedFirstAttemptAndSaysWhereTheRetriesAre() throws Exception {
        try (TestReceiver receiver = TestReceiver.start().answering(n -> TestReceiver.Answer.status(500))) {
            TestTenant tenant = HookgateTestApp.createTenant(APP, "Failing Receiver Collections");
            api.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(Map.of("name", "Broken CRM", "url", receiver.url(),
                "maxAttempts", 5, "backoff", Map.of("initialMs", 3_600_000, "multiplier", 1, "maxMs", 3_600_000))));
            admin.get("/tenants/" + tenant.id());
            Page page = admin.follow(admin.postForm("/tenants/" + tenant.id() + "/test-call", Map.of()));
            for (int loads = 0; REFRESH.matcher(page.body()).find(); loads++) {
                assertThat(loads).as("the page updates itself only until the first attempt's outcome").isLessThan(30);
                Thread.sleep(1000);
                page = admin.get(group(REFRESH, page.body()));
            }
            assertThat(page.body()).contains("Broken CRM", "pending", "HTTP 500", "A first attempt failed")
                .doesNotContain("Updating every second");
        }
    }

    private static int notify(TestTenant tenant, String key) {
        return Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(key, p -> { }))
            .status();
    }

    private static JsonNode destination(TestTenant tenant, TestReceiver receiver) {
        return api.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(Map.of("name", "Sleepy CRM", "url", receiver.url())))
            .json();
    }

    /** A platform admin of their own, so that the wrong passwords counted are theirs alone. */
    private static Browserless signedInFor(String email) {
        HookgateTestApp.createUser(APP, email, HookgateTestApp.ADMIN_PASSWORD, "platform_admin", null);
        return Browserless.signIn(HookgateTestApp.baseUrl(APP), email, HookgateTestApp.ADMIN_PASSWORD);
    }

    /**
     * A wrong password redirects to the form's page, which says so once; reloading that page sends no password again,
     * so the account is no nearer its lock than after the one wrong try.
     */
    private static void assertRefusedOnceWithoutResending(Browserless user, Page wrong, String page, String message, String hidden, String email) {
        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(303);
        String location = wrong.location().orElseThrow();
        assertThat(location).matches(Pattern.quote(page) + "\\?refused=[A-Za-z0-9_-]+");
        Page told = user.follow(wrong);
        assertThat(told.status()).isEqualTo(200);
        assertThat(told.body()).contains(message).doesNotContain(hidden);
        Page reloaded = user.get(location);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(reloaded.body()).as("said once").doesNotContain(message).doesNotContain(hidden);
        JsonNode failures = api.get("/api/v1/audit?action=password.confirm.failed&actor=" + email).json().get("items");
        assertThat(failures).as("one wrong password counted, however often the page is reloaded").hasSize(1);
    }

    private static void assertSignsWith(String secret, long destination, TestReceiver receiver) throws Exception {
        int before = receiver.received().size();
        assertThat(api.post("/api/v1/destinations/" + destination + "/test", null).status()).isEqualTo(200);
        TestReceiver.Received got = receiver.await(r -> r.size() > before, Duration.ofSeconds(10)).get(before);
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, List.of(got.header(name)));
        }
        new Webhook(secret).verify(got.bodyText(), headers);
    }

    static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        assertThat(m.find()).as(pattern + " in " + body).isTrue();
        return m.group(1);
    }
}
