package io.hookgate.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.svix.Webhook;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.ResettingReceiver;
import io.hookgate.testing.TestDatabase;
import io.hookgate.testing.TestReceiver;
import io.hookgate.testing.TestReceiver.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What a tenant's receiver sees: every acknowledged event, signed, at least once, whatever the receiver does. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(settings());

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
    private final List<TestReceiver> receivers = new ArrayList<>();

    static Map<String, String> settings() {
        Map<String, String> settings = HookgateTestApp.settings(DATABASE);
        settings.put("delivery.circuitOpenFor", "2s");
        settings.put("operations.circuitOpenWarning", "1s");
        return settings;
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    @Test
    void receiverGetsTheRawBodyUnchangedWithAStandardWebhooksSignatureSvixVerifies() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Signed delivery tenant");
        TestReceiver receiver = receiver();
        JsonNode destination = createDestination(tenant, receiver, Map.of("headers", Map.of("Authorization", "Bearer receiver-token")));
        byte[] body = AirudderPayloads.signedSeed(tenant.key());

        assertThat(airudder.postBytes(tenant.callbackUrl(), body).status()).isEqualTo(200);

        TestReceiver.Received got = receiver.await(r -> r.size() == 1, Duration.ofSeconds(10)).get(0);
        assertThat(got.body()).isEqualTo(body);
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, List.of(got.header(name)));
        }
        new Webhook(destination.get("signingSecret").asText()).verify(got.bodyText(), headers); // throws if invalid
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        assertThat(got.header("User-Agent")).startsWith("Hookgate/");
        assertThat(got.header("X-Hookgate-Tenant")).isEqualTo(String.valueOf(tenant.id()));
        assertThat(got.header("X-Hookgate-Event-Kind")).isEqualTo("call_completion");
        assertThat(got.header("Authorization")).isEqualTo("Bearer receiver-token");
    }

    @Test
    void receiverFailingTwiceGetsOneSuccessWithOneWebhookIdAndEveryAttemptIsRecorded() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Flaky receiver tenant");
        TestReceiver receiver = receiver().answering(n -> n <= 2 ? Answer.status(500) : Answer.ok());
        createDestination(tenant, receiver, Map.of("backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 200)));

        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        List<TestReceiver.Received> got = receiver.await(r -> r.size() == 3, Duration.ofSeconds(15));
        assertThat(got.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
        JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));
        assertThat(delivery.get("attemptCount").asInt()).isEqualTo(3);
        assertThat(delivery.get("attempts").findValuesAsText("statusCode")).containsExactly("500", "500", "200");
        assertThat(delivery.get("attempts").get(0).get("responseExcerpt").asText()).contains("status 500");
        Thread.sleep(500);
        assertThat(receiver.received()).as("no request after the success").hasSize(3);
    }

    @Test
    void receiverThatAlwaysFailsEndsAsADeadLetterAfterMaxAttempts() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Dead receiver tenant");
        TestReceiver receiver = receiver().answering(n -> Answer.status(503));
        JsonNode destination = createDestination(tenant, receiver,
            Map.of("maxAttempts", 3, "backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100)));

        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("dead"));
        assertThat(delivery.get("attemptCount").asInt()).isEqualTo(3);
        assertThat(receiver.received()).hasSize(3);
        JsonNode deadLetters = admin.get("/api/v1/dead-letters?destinationId=" + destination.get("id").asLong()).json().get("items");
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(deadLetters.get(0).get("lastStatusCode").asInt()).isEqualTo(503);
        assertThat(deadLetters.get(0).get("lastError").asText()).isEqualTo("HTTP 503");
    }

    @Test
    void retryAfterOn429IsHonoured() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Throttled receiver tenant");
        TestReceiver receiver = receiver().answering(n -> n == 1 ? Answer.status(429).withHeader("Retry-After", "2") : Answer.ok());
        createDestination(tenant, receiver, Map.of("backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100)));

        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        List<TestReceiver.Received> got = receiver.await(r -> r.size() == 2, Duration.ofSeconds(10));
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void hangingReceiverOfOneTenantDoesNotDelayAnotherTenant() throws Exception {
        TestTenant slow = HookgateTestApp.createTenant(APP, "Hanging receiver tenant");
        TestReceiver hanging = receiver().answering(n -> Answer.hang(Duration.ofSeconds(8)));
        createDestination(slow, hanging, Map.of("timeoutMs", 6000, "maxInFlight", 4));
        TestTenant fast = HookgateTestApp.createTenant(APP, "Fast receiver tenant");
        TestReceiver quick = receiver();
        createDestination(fast, quick, Map.of());

        for (int i = 0; i < 30; i++) {
            airudder.postBytes(slow.callbackUrl(), AirudderPayloads.signedUnique(slow.key(), p -> { }));
        }
        List<Duration> latencies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant acked = Instant.now();
            assertThat(airudder.postBytes(fast.callbackUrl(), AirudderPayloads.signedUnique(fast.key(), p -> { })).status()).isEqualTo(200);
            int expected = i + 1;
            TestReceiver.Received got = quick.await(r -> r.size() == expected, Duration.ofSeconds(10)).get(i);
            latencies.add(Duration.between(acked, got.at()));
        }
        // generous: on a shared 2-core machine, a delivery normally arrives within tens of milliseconds
        assertThat(latencies).allSatisfy(latency -> assertThat(latency).isLessThan(Duration.ofSeconds(2)));
        assertThat(hanging.received().size()).as("the hanging destination holds at most its maxInFlight").isLessThanOrEqualTo(4 * 2);
    }

    @Test
    void connectionResetsAreRecordedAndRetriedUntilTheReceiverAnswersWithOneWebhookId() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Resetting receiver tenant");
        try (ResettingReceiver resetting = ResettingReceiver.start(2)) {
            createDestination(tenant, resetting.url(), Map.of("backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100)));

            assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);

            JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));
            assertThat(delivery.get("attemptCount").asInt()).isEqualTo(3);
            JsonNode attempts = delivery.get("attempts");
            for (int i = 0; i < 2; i++) {
                assertThat(attempts.get(i).get("statusCode").isNull()).isTrue();
                assertThat(attempts.get(i).get("errorKind").asText()).as(attempts.get(i).toString()).isEqualTo("connection_closed");
            }
            assertThat(attempts.get(2).get("statusCode").asInt()).isEqualTo(200);
            assertThat(resetting.webhookIds()).hasSize(3).containsOnly(delivery.get("webhookId").asText());
        }
    }

    @Test
    void slowAnswerWithinTheTimeoutIsOneSuccessfulAttemptWithItsDurationRecorded() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Slow receiver tenant");
        TestReceiver slow = receiver().answering(n -> Answer.hang(Duration.ofMillis(2500)));
        createDestination(tenant, slow, Map.of("timeoutMs", 6000));

        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);

        JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));
        assertThat(delivery.get("attemptCount").asInt()).isEqualTo(1);
        assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(200);
        assertThat(delivery.get("attempts").get(0).get("durationMs").asInt()).isBetween(2500, 6000);
        Thread.sleep(500);
        assertThat(slow.received()).as("a slow success is not sent again").hasSize(1);
    }

    @Test
    void circuitOpensOnRepeatedFailuresDefersWithoutCallsAndClosesWhenTheReceiverRecovers() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Circuit tenant");
        TestReceiver receiver = receiver().answering(n -> Answer.status(500));
        JsonNode destination = createDestination(tenant, receiver,
            Map.of("maxAttempts", 50, "maxInFlight", 1, "backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100)));
        long id = destination.get("id").asLong();

        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        JsonNode opened = DestinationApiIT.awaitValue(() -> admin.get("/api/v1/destinations/" + id).json(),
            d -> d.get("circuit").asText().equals("open"), Duration.ofSeconds(15));
        int callsWhenOpened = receiver.received().size();
        // read with the state, in one answer: open 2 s in this configuration, then a trial
        assertThat(Instant.parse(opened.get("circuitTrialAt").asText())).as("an open circuit says when its trial goes out")
            .isBetween(Instant.now().minusSeconds(3), Instant.now().plusSeconds(3));
        String destinationPage = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
            HookgateTestApp.ADMIN_PASSWORD).get("/destinations/" + id).body();
        assertThat(destinationPage).as("the destination's page says what the circuit does and when (open 2 s, then one trial)")
            .satisfiesAnyOf(page -> assertThat(page).contains("so the circuit is open: its deliveries wait").contains("when one goes out as a trial"),
                page -> assertThat(page).contains("The circuit lets one trial delivery through now"));
        assertThat(callsWhenOpened).isGreaterThanOrEqualTo(5);
        Thread.sleep(1000);
        assertThat(receiver.received().size()).as("no calls while the circuit is open").isEqualTo(callsWhenOpened);
        String dashboard = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
            HookgateTestApp.ADMIN_PASSWORD).get("/?tenant=" + tenant.id()).body();
        assertThat(dashboard).as("the dashboard names the tenant whose circuit is open")
            .contains(">Circuit tenant</a>").contains("destination with an open circuit");
        long eventId = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(0).get("id").asLong();
        String eventPage = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL,
            HookgateTestApp.ADMIN_PASSWORD).get("/events/" + eventId).body();
        assertThat(eventPage).as("the waiting delivery says what holds it").contains("deliveries wait, without spending their attempts, until the circuit lets a trial through");
        Http adminPort = Http.anonymous("http://localhost:" + APP.getAdminPort());
        // read in the background every 5 s, so that the health check never waits for the database
        JsonNode circuits = DestinationApiIT.awaitValue(() -> adminPort.get("/healthcheck").json().get("circuits"), c -> c.has("warning"), Duration.ofSeconds(12));
        assertThat(circuits.get("healthy").asBoolean()).as("an open circuit is a warning, not a failure").isTrue();
        assertThat(circuits.get("message").asText()).as("the warning names the destination")
            .contains("circuit open for more than 1 s").contains("\"Receiver\" (destination " + id + " of tenant " + tenant.id() + ")");
        assertThat(circuits.get("destinations").findValues("id")).extracting(JsonNode::asLong).contains(id);

        receiver.answering(n -> Answer.ok());
        JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));
        // every attempt reached the receiver: the deferrals while the circuit was open are not attempts (after 2 s open,
        // a half-open trial may also have failed before the receiver recovered)
        assertThat(delivery.get("attemptCount").asInt()).isEqualTo(receiver.received().size()).isGreaterThan(callsWhenOpened);
        JsonNode closed = DestinationApiIT.awaitValue(() -> admin.get("/api/v1/destinations/" + id).json(),
            d -> d.get("circuit").asText().equals("closed"), Duration.ofSeconds(5));
        assertThat(closed.has("circuitTrialAt")).as("a closed circuit has no trial to wait for").isFalse();
        awaitTrue(() -> !adminPort.get("/healthcheck").json().get("circuits").path("message").asText().contains("(destination " + id + " "),
            Duration.ofSeconds(12)); // no warning once it closed
    }

    @Test
    void redeliverSendsADeliveredEventAgainWithTheSameWebhookIdAndRetryNowIsRefusedForIt() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Redeliver tenant");
        TestReceiver receiver = receiver();
        createDestination(tenant, receiver, Map.of());
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
        JsonNode delivery = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));

        Http.Reply retry = admin.post("/api/v1/deliveries/" + delivery.get("id").asLong() + "/retry", null);
        assertThat(retry.status()).isEqualTo(409);
        Http.Reply redeliver = admin.post("/api/v1/events/" + delivery.get("eventId").asLong() + "/redeliver", "{}");
        assertThat(redeliver.status()).isEqualTo(202);

        List<TestReceiver.Received> got = receiver.await(r -> r.size() == 2, Duration.ofSeconds(10));
        assertThat(got.get(1).header("webhook-id")).isEqualTo(got.get(0).header("webhook-id"));
        assertThat(got.get(1).body()).isEqualTo(got.get(0).body());
    }

    @Test
    void aDeliveryDueLongBeforeTheOnesBeingClaimedIsStillSent() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Late due tenant");
        TestReceiver receiver = receiver().answering(n -> n == 1 ? Answer.status(500) : Answer.ok());
        createDestination(tenant, receiver, Map.of("backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 200)));
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
        // the retry is claimed, due a moment ago: claims now start just before it
        JsonNode delivered = awaitDelivery(tenant, d -> d.get("status").asText().equals("succeeded"));

        // as another instance leaves it when it gives back a delivery due an hour ago
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement back = c.prepareStatement("update deliveries set status = 'pending', "
                 + "next_attempt_at = now() - interval '1 hour', lease_token = null, completed_at = null where id = ?")) {
            back.setLong(1, delivered.get("id").asLong());
            assertThat(back.executeUpdate()).isEqualTo(1);
        }

        List<TestReceiver.Received> got = receiver.await(r -> r.size() == 3, Duration.ofSeconds(15));
        assertThat(webhookIds(got)).hasSize(1);
    }

    @Test
    void aDisabledDestinationsWaitingDeliveryIsLeftUntouchedNotCountedOverdueAndSentOnceItIsEnabledAgain() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paused destination tenant");
        TestReceiver receiver = receiver().answering(n -> n == 1 ? Answer.status(500) : Answer.ok());
        long destination = createDestination(tenant, receiver, Map.of("backoff", Map.of("initialMs", 1000, "multiplier", 1.0, "maxMs", 1000)))
            .get("id").asLong();
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
        receiver.await(r -> r.size() == 1, Duration.ofSeconds(10)); // its retry is due a second later
        assertThat(HookgateTestApp.setDestinationEnabled(admin, destination, false).status()).isEqualTo(200);
        JsonNode waiting = awaitDelivery(tenant, d -> d.get("attempts").size() == 1);
        long delivery = waiting.get("id").asLong();
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(ui.get("/events/" + waiting.get("eventId").asLong()).body()).as("the event page says why it waits")
            .contains("destination disabled").contains("waits, untouched, until its destination is enabled again");
        assertThat(ui.get("/destinations/" + destination).body()).as("and the destination's page")
            .contains(">disabled</span>").contains("Disabled: it gets no new events");
        Instant disabled = Instant.now();
        String before = row(delivery);

        // the retry falls due while the destination is disabled; a figures refresh (every 5 s) has seen it overdue by 3 s
        Thread.sleep(9_000);
        assertThat(row(delivery)).as("neither claimed nor given back, as when every claim took it and wrote it again").isEqualTo(before);
        assertThat(receiver.received()).hasSize(1);
        Object overdue = APP.getEnvironment().metrics().getGauges().get("hookgate.delivery.oldest_overdue_seconds").getValue();
        assertThat((Long) overdue).as("a disabled destination's delivery is not a stuck worker's: not overdue").isLessThan(3);

        assertThat(HookgateTestApp.setDestinationEnabled(admin, destination, true).status()).isEqualTo(200);
        List<TestReceiver.Received> got = receiver.await(r -> r.size() == 2, Duration.ofSeconds(10));
        assertThat(webhookIds(got)).hasSize(1);
        assertThat(Duration.between(disabled, Instant.now())).as("sent once enabled, not a minute later").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aDestinationPointedElsewhereOrPausedStartsItsCircuitAfreshAndAPausedOneIsNeitherWarnedAboutNorRetried() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Circuit afresh tenant");
        TestReceiver failing = receiver().answering(n -> Answer.status(500));
        long id = createDestination(tenant, failing,
            Map.of("maxAttempts", 50, "maxInFlight", 1, "backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100)))
            .get("id").asLong();
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
        awaitTrue(() -> circuit(id).equals("open"), Duration.ofSeconds(15));

        // the tenant moves its receiver: the old one's failures say nothing of the new one
        TestReceiver moved = receiver();
        ObjectNode settings = (ObjectNode) admin.get("/api/v1/destinations/" + id).json();
        settings.put("url", moved.url());
        assertThat(admin.put("/api/v1/destinations/" + id, settings.toString()).status()).isEqualTo(200);
        assertThat(circuit(id)).as("closed at once, not after the open period").isEqualTo("closed");
        moved.await(r -> r.size() == 1, Duration.ofSeconds(10));

        // the new receiver fails in turn, long enough to be warned about; then the tenant pauses the destination
        moved.answering(n -> Answer.status(500));
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), payload -> { }));
        awaitTrue(() -> circuit(id).equals("open"), Duration.ofSeconds(15));
        Http adminPort = Http.anonymous("http://localhost:" + APP.getAdminPort());
        String named = "(destination " + id + " ";
        DestinationApiIT.awaitValue(() -> adminPort.get("/healthcheck").json().get("circuits"),
            c -> c.path("message").asText().contains(named), Duration.ofSeconds(12));
        assertThat(HookgateTestApp.setDestinationEnabled(admin, id, false).status()).isEqualTo(200);
        assertThat(circuit(id)).isEqualTo("closed");
        awaitTrue(() -> !adminPort.get("/healthcheck").json().get("circuits").path("message").asText().contains(named),
            Duration.ofSeconds(12)); // nobody is paged for a destination its tenant paused
        JsonNode overview = admin.get("/api/v1/overview?tenantId=" + tenant.id()).json();
        assertThat(overview.get("openCircuits")).as(overview.toString()).isEmpty();

        JsonNode waiting = awaitDelivery(tenant, d -> d.get("status").asText().equals("pending") && !d.get("inFlight").asBoolean());
        Http.Reply retry = admin.post("/api/v1/deliveries/" + waiting.get("id").asLong() + "/retry", null);
        assertThat(retry.status()).as("nothing can go out now, so nothing is promised").isEqualTo(409);
        assertThat(retry.json().get("message").asText()).contains("destination " + id).contains("is disabled");
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        long event = waiting.get("eventId").asLong();
        assertThat(ui.get("/events/" + event).body()).contains("destination disabled").doesNotContain("Retry now");
        long first = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(1).get("id").asLong();
        Browserless.Page redelivered = ui.postForm("/events/" + first + "/redeliver", Map.of("destinationId", String.valueOf(id)));
        assertThat(ui.follow(redelivered).body()).as("the notice says the redelivery waits").contains("its destination is disabled")
            .doesNotContain("The event will be sent again.");

        moved.answering(n -> Answer.ok());
        int before = moved.received().size();
        assertThat(HookgateTestApp.setDestinationEnabled(admin, id, true).status()).isEqualTo(200);
        List<TestReceiver.Received> got = moved.await(r -> r.size() >= before + 2, Duration.ofSeconds(10));
        assertThat(got.subList(before, got.size())).as("the waiting delivery and the redelivery, at once").hasSize(2);
    }

    private String circuit(long destination) {
        return admin.get("/api/v1/destinations/" + destination).json().get("circuit").asText();
    }

    /** What the worker writes when it claims or gives back a delivery. */
    private static String row(long delivery) throws Exception {
        try (Connection c = DriverManager.getConnection(DATABASE);
             PreparedStatement read = c.prepareStatement("select status, attempts, next_attempt_at, lease_token, updated_at from deliveries where id = ?")) {
            read.setLong(1, delivery);
            try (var rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + " " + rs.getInt(2) + " " + rs.getTimestamp(3).toInstant() + " " + rs.getString(4) + " "
                    + rs.getTimestamp(5).toInstant();
            }
        }
    }

    private TestReceiver receiver() {
        TestReceiver receiver = TestReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private JsonNode createDestination(TestTenant tenant, TestReceiver receiver, Map<String, Object> extra) {
        return createDestination(tenant, receiver.url(), extra);
    }

    private JsonNode createDestination(TestTenant tenant, String url, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Receiver", "url", url));
        body.putAll(extra);
        Http.Reply reply = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(body));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    /** The (only) delivery of the tenant's newest event, once {@code condition} holds for it. */
    private JsonNode awaitDelivery(TestTenant tenant, Predicate<JsonNode> condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=1").json().get("items");
            if (items.size() == 1) {
                JsonNode deliveries = admin.get("/api/v1/events/" + items.get(0).get("id").asLong()).json().get("deliveries");
                if (deliveries.size() >= 1) {
                    last = deliveries.get(0);
                    if (condition.test(last)) {
                        return last;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("delivery condition not met; last seen: " + last);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met within " + timeout);
    }

    static Set<String> webhookIds(List<TestReceiver.Received> received) {
        return received.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
