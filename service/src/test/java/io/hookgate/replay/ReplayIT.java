package io.hookgate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import io.hookgate.testing.TestReceiver.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters and their replay as support and tenant admins use them: one at a time once the receiver is back,
 * in bulk with progress, each within the rights of whoever asks.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReplayIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(settings());
    static final String PASSWORD = "correct horse battery";
    static final String SUPPORT_EMAIL = "replay-support@agency.test";

    static Http admin;
    static Http airudder;
    static Http support;

    static Map<String, String> settings() {
        Map<String, String> settings = HookgateTestApp.settings(DATABASE);
        // A bulk replay spaces each destination's deliveries at replayPacePerDestination per second so a recovered
        // receiver is not flooded; at the default 20/s, 500 dead letters of one destination would take 25 s.
        settings.put("delivery.replayPacePerDestination", "1000");
        // A receiver failing every request opens its destination's circuit; the default 30 s open time would leave
        // the 500 first attempts waiting for minutes, so the circuit probes again almost at once here.
        settings.put("delivery.circuitOpenFor", "10ms");
        return settings;
    }

    @BeforeAll
    static void users() {
        admin = HookgateTestApp.admin(APP);
        airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
        createUser(SUPPORT_EMAIL, "support", null);
        support = airudder.basic(SUPPORT_EMAIL, PASSWORD);
    }

    @Test
    void replayAfterTheReceiverRecoversDeliversOnceMoreWithTheSameWebhookId() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Single replay tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 2);
            Instant start = Instant.now().minusSeconds(1);
            long event = postEvents(tenant, 1).get(0);

            JsonNode letter = awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == 1,
                Duration.ofSeconds(20)).get(0);
            assertThat(letter.get("tenantId").asLong()).isEqualTo(tenant.id());
            assertThat(letter.get("eventId").asLong()).isEqualTo(event);
            assertThat(letter.get("destinationId").asLong()).isEqualTo(destination);
            assertThat(letter.get("attempts").asInt()).isEqualTo(2);
            assertThat(letter.get("lastStatusCode").asInt()).isEqualTo(500);
            assertThat(letter.get("lastError").asText()).contains("500");
            assertThat(letter.get("replayedAt").isNull()).isTrue();
            assertThat(letter.get("replayedBy").isNull()).isTrue();
            assertThat(letter.get("replayDeliveryId").isNull()).isTrue();
            Instant deadAt = Instant.parse(letter.get("deadAt").asText());
            assertThat(deadAt).isAfter(start);
            assertThat(receiver.received()).hasSize(2);
            String webhookId = receiver.received().get(0).header("webhook-id");
            assertThat(receiver.received().get(1).header("webhook-id")).isEqualTo(webhookId);

            // the time window selects by death time, [from, to)
            assertThat(deadLetters(admin, "tenantId=" + tenant.id() + "&from=" + start + "&to=" + deadAt.plusSeconds(1))).hasSize(1);
            assertThat(deadLetters(admin, "tenantId=" + tenant.id() + "&from=" + deadAt.plusSeconds(1))).isEmpty();
            assertThat(deadLetters(admin, "tenantId=" + tenant.id() + "&to=" + deadAt)).isEmpty();
            Http.Reply badTime = admin.get("/api/v1/dead-letters?from=yesterday");
            assertThat(badTime.status()).isEqualTo(400);
            assertThat(badTime.json().get("field").asText()).isEqualTo("from");

            receiver.answering(n -> Answer.ok());
            Http.Reply replayed = admin.post("/api/v1/dead-letters/" + letter.get("id").asLong() + "/replay", null);

            assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
            assertThat(replayed.json().get("replayedBy").asText()).isEqualTo(HookgateTestApp.ADMIN_EMAIL);
            assertThat(Instant.parse(replayed.json().get("replayedAt").asText())).isAfterOrEqualTo(deadAt);
            long replayDelivery = replayed.json().get("replayDeliveryId").asLong();
            TestReceiver.Received again = receiver.await(r -> r.size() >= 3, Duration.ofSeconds(15)).get(2);
            assertThat(again.header("webhook-id")).isEqualTo(webhookId);
            assertThat(again.body()).isEqualTo(receiver.received().get(0).body());

            JsonNode deliveries = awaitValue(() -> admin.get("/api/v1/events/" + event).json().get("deliveries"),
                ds -> ds.size() == 2 && ds.get(1).get("status").asText().equals("succeeded"), Duration.ofSeconds(10));
            assertThat(deliveries.get(0).get("status").asText()).isEqualTo("dead");
            assertThat(deliveries.get(0).get("attempts")).hasSize(2);
            assertThat(deliveries.get(1).get("id").asLong()).isEqualTo(replayDelivery);
            assertThat(deliveries.get(1).get("webhookId").asText()).isEqualTo(webhookId);
            assertThat(deliveries.get(1).get("attempts")).hasSize(1);
            assertThat(deliveries.get(1).get("attempts").get(0).get("statusCode").asInt()).isEqualTo(200);
            Thread.sleep(300);
            assertThat(receiver.received()).as("delivered once more, not more").hasSize(3);

            assertThat(deadLetters(admin, "destinationId=" + destination)).as("no longer waiting").isEmpty();
            JsonNode marked = deadLetters(admin, "destinationId=" + destination + "&includeReplayed=true").get(0);
            assertThat(marked.get("replayedBy").asText()).isEqualTo(HookgateTestApp.ADMIN_EMAIL);
            assertThat(marked.get("replayDeliveryId").asLong()).isEqualTo(replayDelivery);

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                SUPPORT_EMAIL, PASSWORD);
            assertThat(ui.get("/events/" + event).body()).as("the event page tells the dead delivery's replay")
                .contains(">replayed<").contains(">" + HookgateTestApp.ADMIN_EMAIL + "<").doesNotContain("dead letter waiting");

            Http.Reply twice = admin.post("/api/v1/dead-letters/" + letter.get("id").asLong() + "/replay", null);
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.json().get("error").asText()).isEqualTo("conflict");
            assertThat(admin.post("/api/v1/dead-letters/999999999/replay", null).status()).isEqualTo(404);
        }
    }

    @Test
    void bulkReplayOfFiveHundredDeadLettersCompletesWithExactProgress() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Bulk replay tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 1);
            postEvents(tenant, 500);

            awaitValue(() -> deadLetters(admin, "destinationId=" + destination + "&limit=500").size(), n -> n == 500, Duration.ofSeconds(90));
            JsonNode dead = admin.get("/api/v1/destinations/" + destination + "/deliveries?status=dead&limit=500").json().get("items");
            assertThat(dead).hasSize(500);
            Set<String> originalIds = new HashSet<>();
            dead.forEach(d -> originalIds.add(d.get("webhookId").asText()));
            assertThat(originalIds).hasSize(500);
            int before = receiver.received().size();
            assertThat(before).as("one attempt each").isEqualTo(500);

            receiver.answering(n -> Answer.ok());
            Http.Reply started = admin.post("/api/v1/dead-letters/replay?tenantId=" + tenant.id() + "&destinationId=" + destination, null);

            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.json().get("matched").asInt()).isEqualTo(500);
            long replayId = started.json().get("replayId").asLong();
            Set<String> states = new LinkedHashSet<>();
            JsonNode progress = awaitValue(() -> {
                JsonNode p = admin.get("/api/v1/replays/" + replayId).json();
                states.add(p.get("state").asText());
                assertThat(p.get("delivered").asInt() + p.get("failed").asInt()).isLessThanOrEqualTo(p.get("queued").asInt());
                assertThat(p.get("queued").asInt()).isLessThanOrEqualTo(500);
                return p;
            }, p -> p.get("state").asText().equals("completed"), Duration.ofSeconds(120));
            assertThat(progress.get("matched").asInt()).isEqualTo(500);
            assertThat(progress.get("queued").asInt()).isEqualTo(500);
            assertThat(progress.get("delivered").asInt()).isEqualTo(500);
            assertThat(progress.get("failed").asInt()).isEqualTo(0);
            assertThat(progress.get("requestedBy").asText()).isEqualTo(HookgateTestApp.ADMIN_EMAIL);
            assertThat(states).isSubsetOf("queued", "running", "delivering", "completed");

            List<TestReceiver.Received> all = receiver.received();
            List<TestReceiver.Received> replayed = all.subList(before, all.size());
            assertThat(replayed).hasSize(500);
            List<String> replayedIds = replayed.stream().map(r -> r.header("webhook-id")).toList();
            assertThat(replayedIds).doesNotHaveDuplicates();
            assertThat(new HashSet<>(replayedIds)).isEqualTo(originalIds);

            assertThat(deadLetters(admin, "destinationId=" + destination)).as("none left waiting").isEmpty();
            JsonNode succeeded = admin.get("/api/v1/destinations/" + destination + "/deliveries?status=succeeded&limit=500").json().get("items");
            assertThat(succeeded).hasSize(500);
            succeeded.forEach(d -> assertThat(d.get("replayId").asLong()).isEqualTo(replayId));
        }
    }

    @Test
    void aBulkReplayAskedForAgainWhileItQueuesIsTheSameReplayNotASecondOne() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Double click tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 6);
            receiver.answering(n -> Answer.ok());
            int before = receiver.received().size();
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            ui.postForm("/dead-letters/confirm", Map.of("scope", "all", "destination", String.valueOf(destination)));
            Map<String, String> replayAll = Map.of("scope", "all", "destination", String.valueOf(destination));

            Browserless.Page first = ui.postForm("/dead-letters/replay", replayAll);
            // the runner queues a replay over two of its ticks, 500 ms apart: these come while it is still queueing
            Browserless.Page again = ui.postForm("/dead-letters/replay", replayAll);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            List<Future<Http.Reply>> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sent.add(pool.submit(() -> admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null)));
            }
            List<JsonNode> answers = new ArrayList<>();
            for (Future<Http.Reply> reply : sent) {
                assertThat(reply.get().status()).as(reply.get().toString()).isEqualTo(202);
                answers.add(reply.get().json());
            }
            pool.shutdown();

            assertThat(first.location().orElseThrow()).matches("/replays/\\d+");
            long replayId = Long.parseLong(first.location().orElseThrow().substring("/replays/".length()));
            assertThat(again.location()).as("the same replay, said so").contains("/replays/" + replayId + "?notice=replay-already-running");
            assertThat(ui.follow(again).body()).contains("already asked for with the same filter");
            for (JsonNode answer : answers) {
                assertThat(answer.get("replayId").asLong()).isEqualTo(replayId);
                assertThat(answer.get("matched").asInt()).isEqualTo(6);
                assertThat(answer.get("alreadyRunning").asBoolean()).isTrue();
            }
            JsonNode progress = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(),
                p -> p.get("state").asText().equals("completed") && p.get("delivered").asInt() == 6, Duration.ofSeconds(30));
            assertThat(progress.get("queued").asInt()).isEqualTo(6);
            assertThat(progress.get("delivered").asInt()).isEqualTo(6);
            List<TestReceiver.Received> all = receiver.received();
            assertThat(all.subList(before, all.size()).stream().map(r -> r.header("webhook-id"))).hasSize(6).doesNotHaveDuplicates();
            assertThat(admin.get("/api/v1/replays?tenantId=" + tenant.id()).json().get("items")).as("one replay").hasSize(1);
            assertThat(admin.get("/api/v1/audit?action=deadletter.replay.bulk&tenantId=" + tenant.id()).json().get("items"))
                .as("audited once").hasSize(1);
            assertThat(ui.get("/replays/" + replayId).body()).doesNotContain("no longer waiting");

            // asked once it has queued them all, it is a new replay of what waits then: nothing
            Http.Reply later = admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null);
            assertThat(later.json().get("replayId").asLong()).isNotEqualTo(replayId);
            assertThat(later.json().get("matched").asInt()).isZero();
            assertThat(later.json().get("alreadyRunning").asBoolean()).isFalse();
        }
    }

    @Test
    void replayingSelectedDeadLettersOneOfWhichAColleagueJustReplayedSaysWhatWasReplayedAndWhatWasNot() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Selected replay tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 3);
            receiver.answering(n -> Answer.ok());
            List<JsonNode> letters = deadLetters(admin, "destinationId=" + destination);
            long takenByColleague = letters.get(0).get("id").asLong();
            assertThat(support.post("/api/v1/dead-letters/" + takenByColleague + "/replay", null).status()).isEqualTo(200);
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            ui.get("/dead-letters?destination=" + destination);

            Browserless.Page some = ui.postForm("/dead-letters/replay", List.of(Map.entry("ids", String.valueOf(takenByColleague)),
                Map.entry("ids", letters.get(1).get("id").asText())));
            assertThat(some.body()).contains("<h1>Replayed 1 of 2 selected</h1>").contains("These were not replayed:")
                .containsPattern("dead letter " + takenByColleague + " was already replayed at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ by "
                    + SUPPORT_EMAIL);
            Browserless.Page none = ui.postForm("/dead-letters/replay", List.of(Map.entry("ids", String.valueOf(takenByColleague))));
            assertThat(none.body()).contains("<h1>Nothing replayed</h1>").doesNotContain("Replay done");
        }
    }

    @Test
    void twoBulkReplaysOverTheSameDeadLettersSendEachOnceAndTheOneThatFoundThemGoneSaysWhy() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Overlapping replays tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 5);
            receiver.answering(n -> Answer.ok());
            int before = receiver.received().size();
            // two filters that both take the five: asked together, each counts them before either queues them
            JsonNode byDestination = admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null).json();
            JsonNode byTenant = admin.post("/api/v1/dead-letters/replay?tenantId=" + tenant.id(), null).json();
            List<JsonNode> done = new ArrayList<>();
            for (JsonNode started : List.of(byDestination, byTenant)) {
                long id = started.get("replayId").asLong();
                done.add(awaitValue(() -> admin.get("/api/v1/replays/" + id).json(), p -> p.get("state").asText().equals("completed"),
                    Duration.ofSeconds(30)));
            }
            assertThat(done.get(0).get("queued").asInt() + done.get(1).get("queued").asInt()).as("each dead letter queued once").isEqualTo(5);
            List<TestReceiver.Received> all = receiver.received();
            assertThat(all.subList(before, all.size()).stream().map(r -> r.header("webhook-id"))).hasSize(5).doesNotHaveDuplicates();
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            for (JsonNode replay : done) {
                int notQueued = replay.get("matched").asInt() - replay.get("queued").asInt();
                String page = ui.get("/replays/" + replay.get("replayId").asLong()).body();
                if (notQueued > 0) {
                    assertThat(page).contains(notQueued + " of the dead letters matched were no longer waiting").contains("None was sent twice");
                } else {
                    assertThat(page).doesNotContain("no longer waiting");
                }
            }
        }
    }

    @Test
    void aReplayWaitingOnAFailingDestinationSaysWhereAndWhyItWaits() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Still failing tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 6);
            JsonNode first = admin.get("/api/v1/dead-letters?destinationId=" + destination + "&limit=3").json();
            JsonNode second = admin.get("/api/v1/dead-letters?destinationId=" + destination + "&limit=3&cursor="
                + first.get("nextCursor").asText()).json();
            assertThat(second.get("items")).as("the rest, older").hasSize(3);
            assertThat(second.get("items").get(0).get("id").asLong()).isLessThan(first.get("items").get(2).get("id").asLong());
            assertThat(second.get("nextCursor").isNull()).as("no link to an empty page").isTrue();
            // the receiver still fails; the replayed deliveries get more attempts, a minute apart
            Http.Reply changed = admin.put("/api/v1/destinations/" + destination, Http.json(Map.of("name", "Receiver", "url", receiver.url(),
                "maxAttempts", 5, "backoff", Map.of("initialMs", 60_000, "maxMs", 60_000))));
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

            long replayId = admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null).json().get("replayId").asLong();

            JsonNode progress = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(),
                p -> p.get("state").asText().equals("delivering") && p.get("pending").size() == 1
                    && p.get("pending").get(0).get("deliveries").asInt() == 6 && !p.get("pending").get(0).get("circuit").asText().equals("closed"),
                Duration.ofSeconds(30));
            JsonNode waiting = progress.get("pending").get(0);
            assertThat(waiting.get("destinationId").asLong()).isEqualTo(destination);
            assertThat(waiting.get("destinationName").asText()).isEqualTo("Receiver");
            assertThat(Instant.parse(waiting.get("nextAttemptAt").asText())).isAfter(Instant.now());
            assertThat(waiting.get("circuit").asText()).as("six failures in a row").isIn("open", "half_open");

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            assertThat(ui.get("/replays/" + replayId).body()).contains("Waiting").contains("/destinations/" + destination)
                .contains("An open circuit holds its destination").contains(">" + waiting.get("circuit").asText() + "<")
                .as("what it replays, and a way back to those dead letters").contains("Tenant: Still failing tenant")
                .contains("Destination: Receiver").contains("/dead-letters?tenant=" + tenant.id() + "&amp;destination=" + destination);
        }
    }

    @Test
    void aDeadLetterFromBeforeAnUpgradeIsReplayedUnderTheWebhookIdItFirstHad() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Upgraded tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 1);
            long event = postEvents(tenant, 1).get(0);
            JsonNode letter = awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == 1,
                Duration.ofSeconds(20)).get(0);
            // the rule before webhook-ids came from the body: msg_{event}_{destination}
            String earlier = "msg_" + event + "_" + destination;
            try (Connection c = DriverManager.getConnection(DATABASE);
                 PreparedStatement update = c.prepareStatement("update deliveries set webhook_id = ? where id = ?")) {
                update.setString(1, earlier);
                update.setLong(2, letter.get("deliveryId").asLong());
                assertThat(update.executeUpdate()).isEqualTo(1);
            }

            receiver.answering(n -> Answer.ok());
            assertThat(admin.post("/api/v1/dead-letters/" + letter.get("id").asLong() + "/replay", null).status()).isEqualTo(200);

            TestReceiver.Received again = receiver.await(r -> r.size() == 2, Duration.ofSeconds(15)).get(1);
            assertThat(again.header("webhook-id")).as("the receiver deduplicates on the id it saw first").isEqualTo(earlier);
        }
    }

    @Test
    void supportReplaysADeadLetterFromTheEventPageFoundByItsTaskId() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Event page replay tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 1);
            long event = postEvents(tenant, 1).get(0);
            awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == 1, Duration.ofSeconds(20));
            receiver.answering(n -> Answer.ok());

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), SUPPORT_EMAIL, PASSWORD);
            String page = ui.get("/events/" + event).body();
            assertThat(page).contains("dead letter waiting").contains("Replay this dead letter")
                .as("one way to send it again, not two side by side").doesNotContain("Redeliver to this destination");
            Matcher action = Pattern.compile("action=\"(/events/\\d+/dead-letters/\\d+/replay)\"").matcher(page);
            assertThat(action.find()).isTrue();

            Browserless.Page replayed = ui.postForm(action.group(1), Map.of());
            assertThat(replayed.status()).isEqualTo(303);
            assertThat(replayed.location().orElseThrow()).isEqualTo("/events/" + event + "?notice=replayed");
            assertThat(ui.follow(replayed).body()).contains("The dead letter was replayed").contains("by <span>" + SUPPORT_EMAIL + "</span>")
                .as("once replayed, it can be sent again like any delivery").contains("Redeliver to this destination");
            assertThat(receiver.await(r -> r.size() == 2, Duration.ofSeconds(15))).hasSize(2);
        }
    }

    @Test
    void aRedeliveryToADestinationSettlesTheEventsDeadLetterThereSoABulkReplayDoesNotSendItAgain() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Redelivered dead letter tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 1);
            JsonNode letter = deadLetters(admin, "destinationId=" + destination).get(0);
            receiver.answering(n -> Answer.ok());

            Http.Reply redelivered = admin.post("/api/v1/events/" + letter.get("eventId").asLong() + "/redeliver",
                Http.json(Map.of("destinationId", destination)));
            assertThat(redelivered.status()).as(redelivered.toString()).isEqualTo(202);
            assertThat(receiver.await(r -> r.size() == 2, Duration.ofSeconds(15))).as("the failed attempt, then the redelivery").hasSize(2);

            assertThat(deadLetters(admin, "destinationId=" + destination)).as("no longer waiting").isEmpty();
            JsonNode settled = deadLetters(admin, "destinationId=" + destination + "&includeReplayed=true").get(0);
            assertThat(settled.get("replayedBy").asText()).isEqualTo(HookgateTestApp.ADMIN_EMAIL);
            assertThat(settled.get("replayDeliveryId").asLong()).isEqualTo(redelivered.json().get("deliveries").get(0).get("id").asLong());
            assertThat(admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null).json().get("matched").asInt()).isZero();
            Thread.sleep(500);
            assertThat(receiver.received()).as("sent once more, not twice").hasSize(2);
            String list = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
                HookgateTestApp.ADMIN_PASSWORD).get("/events?tenant=" + tenant.id()).body();
            assertThat(list).as("the event reads as delivered in the end, not dead").contains(">1 succeeded</span>").doesNotContain(" dead</span>");
            String event = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
                HookgateTestApp.ADMIN_PASSWORD).get("/events/" + letter.get("eventId").asLong()).body();
            long replayDelivery = settled.get("replayDeliveryId").asLong();
            assertThat(event).as("the dead delivery links to its replay and says how it went")
                .contains("href=\"#delivery-" + replayDelivery + "\"").contains("id=\"delivery-" + replayDelivery + "\"")
                .containsPattern("with the same webhook-id:\\s*<span class=\"badge succeeded\">succeeded</span>");
        }
    }

    @Test
    void aReplayHeldByADisabledDestinationSaysSoAndOneCancelledWithItsDestinationIsNotAFailure() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Disabled destination tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 2);
            assertThat(admin.put("/api/v1/destinations/" + destination, Http.json(Map.of("name", "Receiver", "url", receiver.url(),
                "enabled", false))).status()).isEqualTo(200);
            Browserless.Page confirm = Browserless.signIn(HookgateTestApp.baseUrl(APP), SUPPORT_EMAIL, PASSWORD)
                .postForm("/dead-letters/confirm", Map.of("scope", "all", "destination", String.valueOf(destination)));
            assertThat(confirm.body()).as("the confirmation says so before").contains("Replay 2 dead letters?")
                .contains("Receiver is disabled: the replayed deliveries wait, paused, until it is enabled again");
            long replayId = admin.post("/api/v1/dead-letters/replay?destinationId=" + destination, null).json().get("replayId").asLong();

            JsonNode held = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(),
                p -> p.get("state").asText().equals("delivering") && p.get("pending").size() == 1, Duration.ofSeconds(20));
            assertThat(held.get("pending").get(0).get("enabled").asBoolean()).isFalse();
            assertThat(Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
                HookgateTestApp.ADMIN_PASSWORD).get("/replays/" + replayId).body()).contains("A disabled destination holds its deliveries back");

            assertThat(admin.delete("/api/v1/destinations/" + destination).status()).isEqualTo(204);
            JsonNode done = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(),
                p -> p.get("state").asText().equals("completed"), Duration.ofSeconds(20));
            assertThat(done.get("cancelled").asInt()).isEqualTo(2);
            assertThat(done.get("failed").asInt()).as("cancelled with the destination, not failed again").isZero();
            String listed = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD)
                .get("/replays?tenant=" + tenant.id()).body();
            assertThat(listed).as("the list says why it settled with nothing delivered")
                .contains("<th>Cancelled</th>").contains("<td title=\"destination deleted meanwhile\">2</td>");
        }
    }

    @Test
    void theDeadLettersOfOneTaskAreListedAndReplayedByItsTaskId() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Campaign tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 1);
            for (String task : List.of("campaign-a", "campaign-a", "campaign-b")) {
                assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskID", task)))
                    .status()).isEqualTo(200);
            }
            awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == 3, Duration.ofSeconds(20));
            assertThat(deadLetters(admin, "taskId=campaign-a")).hasSize(2).allMatch(d -> d.get("taskId").asText().equals("campaign-a"));
            receiver.answering(n -> Answer.ok());

            JsonNode started = admin.post("/api/v1/dead-letters/replay?tenantId=" + tenant.id() + "&taskId=campaign-a", null).json();
            assertThat(started.get("matched").asInt()).isEqualTo(2);
            long replayId = started.get("replayId").asLong();
            JsonNode done = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(), p -> p.get("state").asText().equals("completed"),
                Duration.ofSeconds(30));
            assertThat(done.get("delivered").asInt()).isEqualTo(2);
            assertThat(done.get("filter").get("taskId").asText()).isEqualTo("campaign-a");
            assertThat(deadLetters(admin, "destinationId=" + destination)).as("the other task's dead letter still waits").hasSize(1)
                .allMatch(d -> d.get("taskId").asText().equals("campaign-b"));

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), SUPPORT_EMAIL, PASSWORD);
            assertThat(ui.get("/dead-letters?taskId=campaign-b").body()).contains("campaign-b").contains("Replay all 1 matching");
            assertThat(ui.get("/dead-letters?taskId=campaign-b&replayed=on").body()).as("with the replayed ones shown, the count says which")
                .contains("Replay all 1 waiting").contains("stays listed here while the replayed ones are shown");
            assertThat(ui.get("/replays/" + replayId).body()).contains("TaskID: campaign-a");
        }
    }

    @Test
    void anEventThatArrivedBeforeItsDestinationCanBeSentThereFromItsPage() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Late destination tenant");
        long event = postEvents(tenant, 1).get(0);
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.ok());
            long destination = createDestination(tenant, receiver, 1);
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                SUPPORT_EMAIL, PASSWORD);
            Browserless.Page page = ui.get("/events/" + event);
            assertThat(page.body()).contains("No delivery").contains("Send this event to").contains("value=\"" + destination + "\"");

            assertThat(ui.postForm("/events/" + event + "/redeliver", Map.of("destinationId", String.valueOf(destination))).status())
                .isIn(200, 303);

            TestReceiver.Received sent = receiver.await(r -> r.size() == 1, Duration.ofSeconds(15)).get(0);
            String sha = HookgateTestApp.admin(APP).get("/api/v1/events/" + event).json().get("bodySha256").asText();
            assertThat(sent.header("webhook-id")).isEqualTo("msg_" + sha.substring(0, 24) + "_" + destination);
            assertThat(ui.get("/events/" + event).body()).as("sent: nothing left to offer").doesNotContain("Send this event to");
        }
    }

    @Test
    void tenantAdminsReplayOnlyTouchesItsOwnTenant() throws Exception {
        TestTenant a = HookgateTestApp.createTenant(APP, "Replay tenant A");
        TestTenant b = HookgateTestApp.createTenant(APP, "Replay tenant B");
        createUser("replay-admin-a@agency.test", "tenant_admin", a.id());
        Http adminOfA = airudder.basic("replay-admin-a@agency.test", PASSWORD);
        try (TestReceiver receiverA = TestReceiver.start(); TestReceiver receiverB = TestReceiver.start()) {
            receiverA.answering(n -> Answer.status(500));
            receiverB.answering(n -> Answer.status(500));
            long destinationA = createDestination(a, receiverA, 1);
            long destinationB = createDestination(b, receiverB, 1);
            postEvents(a, 2);
            postEvents(b, 2);
            awaitValue(() -> deadLetters(admin, "destinationId=" + destinationA), items -> items.size() == 2, Duration.ofSeconds(20));
            List<JsonNode> lettersOfB = awaitValue(() -> deadLetters(admin, "destinationId=" + destinationB), items -> items.size() == 2,
                Duration.ofSeconds(20));
            receiverA.answering(n -> Answer.ok());
            receiverB.answering(n -> Answer.ok());

            assertThat(deadLetters(adminOfA, "")).extracting(d -> d.get("tenantId").asLong()).containsOnly(a.id()).hasSize(2);
            assertThat(adminOfA.get("/api/v1/dead-letters?tenantId=" + b.id()).status()).isEqualTo(404);
            assertThat(adminOfA.post("/api/v1/dead-letters/replay?tenantId=" + b.id(), null).status()).isEqualTo(404);
            assertThat(adminOfA.post("/api/v1/dead-letters/replay?destinationId=" + destinationB, null).status())
                .as("another tenant's destination: not found, not an empty replay").isEqualTo(404);
            assertThat(adminOfA.post("/api/v1/dead-letters/" + lettersOfB.get(0).get("id").asLong() + "/replay", null).status()).isEqualTo(404);

            Http.Reply started = adminOfA.post("/api/v1/dead-letters/replay", null);

            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.json().get("matched").asInt()).isEqualTo(2);
            long replayId = started.json().get("replayId").asLong();
            JsonNode progress = awaitValue(() -> adminOfA.get("/api/v1/replays/" + replayId).json(),
                p -> p.get("state").asText().equals("completed"), Duration.ofSeconds(30));
            assertThat(progress.get("queued").asInt()).isEqualTo(2);
            assertThat(progress.get("delivered").asInt()).isEqualTo(2);
            assertThat(progress.get("failed").asInt()).isEqualTo(0);
            assertThat(receiverA.received()).hasSize(4);

            long replayOfB = admin.post("/api/v1/dead-letters/replay?tenantId=" + b.id() + "&lastStatus=404", null).json()
                .get("replayId").asLong();
            JsonNode listedToA = adminOfA.get("/api/v1/replays").json().get("items");
            assertThat(listedToA).as("a tenant admin's list of replays is its tenant's").isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("tenantId").asLong()).isEqualTo(a.id()));
            assertThat(listedToA.get(0).get("replayId").asLong()).isEqualTo(replayId);
            assertThat(listedToA.get(0).get("state").asText()).isEqualTo("completed");
            assertThat(adminOfA.get("/api/v1/replays?tenantId=" + b.id()).status()).isEqualTo(404);
            assertThat(admin.get("/api/v1/replays").json().get("items").get(0).get("replayId").asLong()).as("newest first")
                .isEqualTo(replayOfB);
            String page = Browserless.signIn(HookgateTestApp.baseUrl(APP), "replay-admin-a@agency.test", PASSWORD)
                .get("/replays").body();
            assertThat(page).contains("href=\"/replays/" + replayId + "\"").doesNotContain("href=\"/replays/" + replayOfB + "\"")
                .contains("100%");
            Browserless staff = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            assertThat(staff.get("/tenants/" + a.id()).body()).contains("href=\"/replays?tenant=" + a.id() + "\"");
            assertThat(staff.get("/replays?tenant=" + a.id()).body()).as("one tenant's replays").contains("<h1>Bulk replays<span> of Replay tenant A</span></h1>")
                .contains("href=\"/replays/" + replayId + "\"").doesNotContain("href=\"/replays/" + replayOfB + "\"");

            Thread.sleep(300);
            assertThat(receiverB.received()).as("tenant B's receiver gets no replay").hasSize(2);
            assertThat(deadLetters(admin, "tenantId=" + b.id())).hasSize(2)
                .allSatisfy(d -> assertThat(d.get("replayedAt").isNull()).isTrue());
            assertThat(deadLetters(admin, "tenantId=" + a.id())).isEmpty();
            assertThat(deadLetters(admin, "tenantId=" + a.id() + "&includeReplayed=true"))
                .allSatisfy(d -> assertThat(d.get("replayedBy").asText()).isEqualTo("replay-admin-a@agency.test"));
        }
    }

    @Test
    void aReplayAcrossTenantsShowsOnATenantAdminsEventPageWithoutALinkItCouldNotOpen() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Cross-tenant replay tenant");
        createUser("cross-replay-admin@agency.test", "tenant_admin", tenant.id());
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long destination = createDestination(tenant, receiver, 1);
            airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskID", "campaign-across")));
            awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == 1, Duration.ofSeconds(20));
            receiver.answering(n -> Answer.ok());

            JsonNode started = admin.post("/api/v1/dead-letters/replay?taskId=campaign-across", null).json();
            long replayId = started.get("replayId").asLong();
            JsonNode done = awaitValue(() -> admin.get("/api/v1/replays/" + replayId).json(), p -> p.get("state").asText().equals("completed"),
                Duration.ofSeconds(30));
            assertThat(done.get("tenantId").isNull()).as("a replay across tenants: " + done).isTrue();
            long event = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(0).get("id").asLong();

            String ownPage = Browserless.signIn(HookgateTestApp.baseUrl(APP), "cross-replay-admin@agency.test", PASSWORD)
                .get("/events/" + event).body();
            assertThat(ownPage).as("the tenant admin sees which replay sent it, not a link that would be 404")
                .contains("(replay " + replayId + ", across tenants)").doesNotContain("href=\"/replays/" + replayId + "\"");
            String staffPage = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
                HookgateTestApp.ADMIN_PASSWORD).get("/events/" + event).body();
            assertThat(staffPage).contains("href=\"/replays/" + replayId + "\"");
        }
    }

    @Test
    void supportReplaysDeadLettersOfAnyTenant() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Supported tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = destinationWithDeadLetters(tenant, receiver, 2);
            receiver.answering(n -> Answer.ok());

            List<JsonNode> letters = deadLetters(support, "tenantId=" + tenant.id());
            assertThat(letters).hasSize(2);
            Http.Reply one = support.post("/api/v1/dead-letters/" + letters.get(0).get("id").asLong() + "/replay", null);
            assertThat(one.status()).as(one.toString()).isEqualTo(200);
            assertThat(one.json().get("replayedBy").asText()).isEqualTo(SUPPORT_EMAIL);
            receiver.await(r -> r.size() >= 3, Duration.ofSeconds(15));

            Http.Reply bulk = support.post("/api/v1/dead-letters/replay?destinationId=" + destination, null);
            assertThat(bulk.status()).as(bulk.toString()).isEqualTo(202);
            assertThat(bulk.json().get("matched").asInt()).isEqualTo(1);
            JsonNode progress = awaitValue(() -> support.get("/api/v1/replays/" + bulk.json().get("replayId").asLong()).json(),
                p -> p.get("state").asText().equals("completed"), Duration.ofSeconds(30));
            assertThat(progress.get("delivered").asInt()).isEqualTo(1);
            assertThat(progress.get("requestedBy").asText()).isEqualTo(SUPPORT_EMAIL);
            assertThat(progress.get("tenantId").asLong()).as("a destination's dead letters are its tenant's").isEqualTo(tenant.id());
            assertThat(receiver.received()).hasSize(4);
            assertThat(deadLetters(support, "tenantId=" + tenant.id())).isEmpty();
        }
    }

    // --- helpers ---

    @Test
    void replayingWhatADestinationMissedSendsItTheEventsItNeverGotOnceAndNothingItHad() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Missed events tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = createDestination(tenant, receiver, 3);
            Instant since = Instant.now().minusSeconds(1);
            postEvents(tenant, 1);
            receiver.await(r -> r.size() == 1, Duration.ofSeconds(10));
            setEnabled(destination, false);
            postEvents(tenant, 3); // not queued for it: it is disabled
            setEnabled(destination, true);
            postEvents(tenant, 1);
            receiver.await(r -> r.size() == 2, Duration.ofSeconds(10));
            setEnabled(destination, false); // the replay's deliveries wait for it, so the replay is still on when asked again

            String path = "/api/v1/destinations/" + destination + "/replay-missing?since=" + since;
            Http.Reply started = admin.post(path, null);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.json().get("matched").asInt()).as("the three events that came while it was disabled").isEqualTo(3);
            long replay = started.json().get("replayId").asLong();
            Http.Reply again = admin.post(path, null);
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.json().get("message").asText()).contains("replay " + replay + " is still sending");

            JsonNode waiting = awaitValue(() -> admin.get("/api/v1/replays/" + replay).json(),
                p -> p.get("state").asText().equals("delivering"), Duration.ofSeconds(15));
            assertThat(waiting.get("source").asText()).isEqualTo("missing");
            assertThat(waiting.get("filter").get("destinationId").asLong()).isEqualTo(destination);
            assertThat(waiting.get("queued").asInt()).isEqualTo(3);
            assertThat(waiting.get("pending").get(0).get("deliveries").asInt()).isEqualTo(3);
            assertThat(waiting.get("pending").get(0).get("enabled").asBoolean()).isFalse();
            assertThat(receiver.received()).as("nothing while the destination is disabled").hasSize(2);
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), SUPPORT_EMAIL, PASSWORD);
            assertThat(ui.get("/destinations/" + destination + "/replay-missing?since="
                + LocalDateTime.ofInstant(since, ZoneOffset.UTC)).body())
                .as("the confirmation leads to the replay still going, rather than offering another")
                .contains("href=\"/replays/" + replay + "\">Replay " + replay + "</a> is still sending it the events").doesNotContain("Send ");

            setEnabled(destination, true);
            List<TestReceiver.Received> got = receiver.await(r -> r.size() == 5, Duration.ofSeconds(15));
            assertThat(got.stream().map(r -> r.header("webhook-id")).distinct()).as("five events, each once").hasSize(5);
            JsonNode done = awaitValue(() -> admin.get("/api/v1/replays/" + replay).json(),
                p -> p.get("state").asText().equals("completed"), Duration.ofSeconds(15));
            assertThat(done.get("delivered").asInt()).isEqualTo(3);

            Http.Reply nothingLeft = admin.post(path, null);
            assertThat(nothingLeft.status()).isEqualTo(202);
            assertThat(nothingLeft.json().get("matched").asInt()).as("it has had every event since then").isZero();

            Http.Reply noSince = admin.post("/api/v1/destinations/" + destination + "/replay-missing", null);
            assertThat(noSince.status()).isEqualTo(400);
            assertThat(noSince.json().get("field").asText()).isEqualTo("since");
            Http.Reply backwards = admin.post(path + "&until=" + since.minusSeconds(60), null);
            assertThat(backwards.status()).isEqualTo(400);
            assertThat(backwards.json().get("field").asText()).isEqualTo("since");
            assertThat(admin.post("/api/v1/destinations/999999/replay-missing?since=" + since, null).status()).isEqualTo(404);
            TestTenant other = HookgateTestApp.createTenant(APP, "Missed events neighbour");
            createUser("missed-neighbour@agency.test", "tenant_admin", other.id());
            assertThat(airudder.basic("missed-neighbour@agency.test", PASSWORD).post(path, null).status())
                .as("another tenant's admin does not see the destination").isEqualTo(404);
            assertThat(receiver.received()).hasSize(5);
        }
    }

    @Test
    void aDestinationCreatedAfterEventsCameGetsThemFromItsPageAfterAConfirmationStatingHowMany() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Missed before its destination tenant");
        String since = LocalDateTime.ofInstant(Instant.now().minusSeconds(60), ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        postEvents(tenant, 2);
        try (TestReceiver receiver = TestReceiver.start()) {
            long destination = createDestination(tenant, receiver, 3);
            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), SUPPORT_EMAIL, PASSWORD);
            assertThat(ui.get("/destinations/" + destination).body()).contains("Events it missed")
                .contains("action=\"/destinations/" + destination + "/replay-missing\"");

            Browserless.Page confirm = ui.get("/destinations/" + destination + "/replay-missing?since=" + since + "&until=");
            assertThat(confirm.status()).isEqualTo(200);
            assertThat(confirm.body()).contains("Send Receiver the 2 events it missed?");
            Matcher until = Pattern.compile("name=\"until\" value=\"([^\"]+)\"").matcher(confirm.body());
            assertThat(until.find()).as("\"until now\" fixed at the count, so that what is sent is what was counted").isTrue();
            postEvents(tenant, 1); // after the count: not among the two confirmed
            Browserless.Page started = ui.postForm("/destinations/" + destination + "/replay-missing",
                Map.of("since", since, "until", until.group(1)));
            assertThat(started.status()).isEqualTo(303);
            assertThat(started.location().orElseThrow()).startsWith("/replays/");
            assertThat(ui.follow(started).body()).contains("Events destination Receiver never got");
            assertThat(receiver.await(r -> r.size() == 3, Duration.ofSeconds(15))).as("the two it missed, and the new one sent as it came")
                .hasSize(3);
            long replay = Long.parseLong(started.location().orElseThrow().substring("/replays/".length()));
            JsonNode done = awaitValue(() -> admin.get("/api/v1/replays/" + replay).json(), r -> r.get("state").asText().equals("completed"),
                Duration.ofSeconds(15));
            assertThat(done.get("matched").asInt()).isEqualTo(2);

            Browserless.Page bad = ui.get("/destinations/" + destination + "/replay-missing?since=yesterday");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("must be a date and time");
            assertThat(ui.get("/destinations/" + destination + "/replay-missing?since=" + since).body())
                .as("once sent, nothing is missing").contains("Receiver missed no event then");
            assertThat(ui.get("/replays/" + replay).body()).contains("href=\"/destinations/" + destination + "\">Back to the destination</a>");
            assertThat(admin.delete("/api/v1/destinations/" + destination).status()).isEqualTo(204);
            assertThat(ui.get("/replays/" + replay).body()).as("its destination deleted, the way back is its tenant's page")
                .contains("href=\"/tenants/" + tenant.id() + "\">Back to the tenant</a>");
        }
    }

    static void setEnabled(long destination, boolean enabled) {
        Http.Reply reply = HookgateTestApp.setDestinationEnabled(admin, destination, enabled);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    static void createUser(String email, String role, Long tenantId) {
        HookgateTestApp.createUser(APP, email, PASSWORD, role, tenantId);
    }

    /** A destination of {@code tenant} at {@code receiver}, which fails, with {@code count} dead letters waiting. */
    static long destinationWithDeadLetters(TestTenant tenant, TestReceiver receiver, int count) throws Exception {
        receiver.answering(n -> Answer.status(500));
        long destination = createDestination(tenant, receiver, 1);
        postEvents(tenant, count);
        awaitValue(() -> deadLetters(admin, "destinationId=" + destination), items -> items.size() == count, Duration.ofSeconds(30));
        return destination;
    }

    /** A destination that gives up after {@code maxAttempts}, retrying after 100 ms. */
    static long createDestination(TestTenant tenant, TestReceiver receiver, int maxAttempts) {
        Http.Reply reply = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(Map.of("name", "Receiver",
            "url", receiver.url(), "maxAttempts", maxAttempts, "backoff", Map.of("initialMs", 100, "maxMs", 100))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asLong();
    }

    /** Posts {@code count} distinct signed notifications, a few at a time, and returns their event ids. */
    static List<Long> postEvents(TestTenant tenant, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 8));
        try {
            List<Future<String>> posted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                posted.add(pool.submit(() -> {
                    String[] taskId = new String[1];
                    byte[] body = AirudderPayloads.signedUnique(tenant.key(), p -> taskId[0] = p.get("TaskID").asText());
                    Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), body);
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                    return taskId[0];
                }));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<String> taskId : posted) {
                String id = taskId.get();
                if (count <= 10) {
                    ids.add(admin.get("/api/v1/tenants/" + tenant.id() + "/events?taskId=" + id).json().get("items").get(0).get("id").asLong());
                }
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** Dead letters as {@code who} lists them (waiting ones unless the query says includeReplayed=true). */
    static List<JsonNode> deadLetters(Http who, String query) {
        Http.Reply reply = who.get("/api/v1/dead-letters" + (query.isEmpty() ? "" : "?" + query));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        return items;
    }

    static <T> T awaitValue(Supplier<T> read, Predicate<T> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        T value = read.get();
        while (!condition.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within " + timeout + ": " + value);
            }
            Thread.sleep(100);
            value = read.get();
        }
        return value;
    }
}
