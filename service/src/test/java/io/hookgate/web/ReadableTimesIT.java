package io.hookgate.web;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.hookgate.testing.TestReceiver.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page that shows an instant shows it as people read it, {@code 2026-12-06 04:18:19 UTC}, inside a
 * {@code <time>} whose {@code datetime} and {@code title} keep the exact value the JSON API reports.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadableTimesIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    static final Pattern TIME = Pattern.compile("<time datetime=\"([^\"]*)\" title=\"([^\"]*)\">([^<]*)</time>");
    static final Pattern READABLE_SHAPE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");

    static Http api;
    static Browserless admin;
    static TestReceiver failing;
    static TestTenant tenant;
    static long eventId;
    static long retryingDestination;
    static long lockedUser;

    @BeforeAll
    static void eventsDeliveriesAndALockedUser() throws InterruptedException {
        api = HookgateTestApp.admin(APP);
        failing = TestReceiver.start().answering(n -> Answer.status(500));
        tenant = HookgateTestApp.createTenant(APP, "Clockwork Collections");
        createDestination("Dead end", Map.of("maxAttempts", 1));
        retryingDestination = createDestination("Retries later",
            Map.of("maxAttempts", 5, "backoff", Map.of("initialMs", 600_000, "multiplier", 1.0, "maxMs", 600_000)));
        Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed("not the key")).status()).isEqualTo(401);
        eventId = api.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(0).get("id").asLong();
        await(() -> event().get("deliveries"), deliveries -> deliveries.size() == 2
            && deliveries.findValuesAsText("attemptCount").stream().allMatch(n -> n.equals("1")));
        await(() -> api.get("/api/v1/dead-letters").json().get("items"), items -> items.size() == 1);

        lockedUser = HookgateTestApp.createUser(APP, "forgetful@agency.test", "correct horse battery", "support", null);
        Http wrong = Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("forgetful@agency.test", "wrong password");
        for (int i = 0; i < 5; i++) {
            wrong.get("/api/v1/tenants");
        }
        admin = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopReceiver() {
        failing.close();
    }

    @Test
    void eventsShowWhenEachWasReceived() {
        String receivedAt = api.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(0).get("receivedAt").asText();
        assertShows(admin.get("/events"), receivedAt);
    }

    @Test
    void anEventShowsWhenItArrivedWhenItsCallsStartedAndEndedWhenEachAttemptWasMadeAndWhenTheNextIsDue() {
        JsonNode event = event();
        List<String> instants = new ArrayList<>(List.of(event.get("receivedAt").asText()));
        instants.addAll(event.get("deliveries").findValuesAsText("attemptedAt"));
        instants.add(pending(event.get("deliveries")).get("nextAttemptAt").asText());
        assertThat(instants).as("received, an attempt per destination, the next attempt").hasSizeGreaterThanOrEqualTo(4);
        Page page = admin.get("/events/" + eventId);
        assertShows(page, instants.toArray(String[]::new));
        // the calls' times too (the raw JSON below them keeps them as sent)
        JsonNode call = AirudderPayloads.seed().get("Details").get(0);
        for (String sent : List.of(call.get("CallStartTime").asText(), call.get("CallEndTime").asText())) {
            assertThat(times(page)).as("a <time> for " + sent).anySatisfy(t -> assertThat(t).containsExactly(sent, sent, readable(sent)));
        }
    }

    @Test
    void deadLettersAndTheirReplayShowWhen() {
        assertShows(admin.get("/dead-letters"), api.get("/api/v1/dead-letters").json().get("items").get(0).get("deadAt").asText());
        long replay = api.post("/api/v1/dead-letters/replay?tenantId=" + tenant.id(), null).json().get("replayId").asLong();
        assertShows(admin.get("/replays/" + replay), api.get("/api/v1/replays/" + replay).json().get("createdAt").asText());
    }

    @Test
    void tenantPagesShowCreationRejectionsAndTheOldKeysGrace() {
        JsonNode created = api.get("/api/v1/tenants/" + tenant.id()).json();
        assertShows(admin.get("/tenants"), created.get("createdAt").asText());

        Page rotated = admin.postForm("/tenants/" + tenant.id() + "/key/rotate", Map.of("graceHours", "24"));
        String graceEnds = api.get("/api/v1/tenants/" + tenant.id()).json().get("previousKeyValidUntil").asText();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(303);
        assertThat(admin.follow(rotated).body()).as("the notice after a rotation")
            .contains("Enter it in AIRUDDER before " + readable(graceEnds) + ",");
        String rejectedAt = api.get("/api/v1/tenants/" + tenant.id() + "/rejections").json().get("items").get(0).get("rejectedAt").asText();
        assertShows(admin.get("/tenants/" + tenant.id()), rejectedAt, graceEnds);
    }

    @Test
    void destinationPageShowsTheNextAttemptAndTheOldSecretsOverlap() {
        Page rotated = admin.postForm("/destinations/" + retryingDestination + "/secret/rotate", Map.of("graceHours", "2"));
        String overlapEnds = api.get("/api/v1/destinations/" + retryingDestination).json().get("previousSecretValidUntil").asText();
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(303);
        assertThat(admin.follow(rotated).body()).as("the notice after a rotation")
            .contains("keeps signing until " + readable(overlapEnds) + ".");
        String nextAttempt = pending(event().get("deliveries")).get("nextAttemptAt").asText();
        assertShows(admin.get("/destinations/" + retryingDestination), overlapEnds, nextAttempt);
    }

    @Test
    void usersShowWhenTheyWereCreatedAndUntilWhenALockHolds() {
        JsonNode user = api.get("/api/v1/users/" + lockedUser).json();
        String lockedUntil = user.get("lockedUntil").asText();
        assertThat(lockedUntil).isNotEqualTo("null");
        Page users = admin.get("/users");
        assertShows(users, user.get("createdAt").asText());
        assertThat(users.body()).contains("title=\"until " + readable(lockedUntil) + "\"");
        assertShows(admin.get("/users/" + lockedUser), user.get("createdAt").asText(), lockedUntil);
    }

    @Test
    void auditEntriesShowWhenTheyHappened() {
        Page audit = admin.get("/audit?action=user.create");
        List<String[]> times = times(audit);
        assertThat(times).as("one time per entry").hasSize(1);
        assertThat(times.get(0)[2]).matches(READABLE_SHAPE);
    }

    /** Each instant shows readably in a {@code <time>} that keeps it exactly, and nowhere as raw text; every other time is alike. */
    static void assertShows(Page page, String... instants) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<String[]> times = times(page);
        for (String instant : instants) {
            assertThat(times).as("a <time> for " + instant + " in " + page)
                .anySatisfy(t -> assertThat(t).containsExactly(instant, instant, readable(instant)));
            assertThat(visibleText(page)).as("raw " + instant + " shown").doesNotContain(instant);
        }
        assertThat(times).allSatisfy(t -> assertThat(t[2]).isEqualTo(readable(t[0])));
    }

    /** datetime, title and text of every {@code <time>} on the page. */
    static List<String[]> times(Page page) {
        List<String[]> times = new ArrayList<>();
        Matcher m = TIME.matcher(page.body());
        while (m.find()) {
            times.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        return times;
    }

    static String visibleText(Page page) {
        return page.body().replaceAll("<[^>]*>", " ");
    }

    static String readable(String instant) {
        return READABLE.format(Instant.parse(instant));
    }

    static JsonNode pending(JsonNode deliveries) {
        for (JsonNode d : deliveries) {
            if (d.get("status").asText().equals("pending")) {
                return d;
            }
        }
        throw new AssertionError("no pending delivery in " + deliveries);
    }

    static JsonNode event() {
        return api.get("/api/v1/events/" + eventId).json();
    }

    static long createDestination(String name, Map<String, Object> settings) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        body.put("url", failing.url());
        Http.Reply reply = api.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(body));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    static <T> void await(Supplier<T> read, Predicate<T> condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        T last = read.get();
        while (!condition.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within 20 s; last seen: " + last);
            }
            Thread.sleep(100);
            last = read.get();
        }
    }
}
