package io.hookgate.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.logging.common.FileAppenderFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.Browserless;
import io.hookgate.testing.HookgateTestApp;
import io.hookgate.testing.HookgateTestApp.TestTenant;
import io.hookgate.testing.Http;
import io.hookgate.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What AIRUDDER sees when it posts to a tenant's callback URL, and what support then finds. */
@ExtendWith(DropwizardExtensionsSupport.class)
class IngestIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(HookgateTestApp.settings(DATABASE));

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));

    @Test
    void seedPayloadSignedWithTheTenantsKeyIsAcceptedAndSearchableByEachId() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Seed tenant");

        Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{}");
        for (String query : List.of("taskId=" + AirudderPayloads.SEED_TASK_ID, "callId=" + AirudderPayloads.SEED_CALL_ID,
            "caseId=" + AirudderPayloads.SEED_CASE_ID, "callee=" + URLEncoder.encode(AirudderPayloads.SEED_CALLEE, StandardCharsets.UTF_8))) {
            JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?" + query).json().get("items");
            assertThat(items).as(query).hasSize(1);
            assertThat(items.get(0).get("kind").asText()).isEqualTo("call_completion");
            assertThat(items.get(0).get("signed").asBoolean()).isTrue();
            assertThat(items.get(0).get("calls").get(0).get("callId").asText()).isEqualTo(AirudderPayloads.SEED_CALL_ID);
        }
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callId=no-such-call").json().get("items")).isEmpty();
        for (String typed : List.of("86xxxxxxxx721", "+86 xxxx-xxxx 721", "(86) xxxxxxxx721")) {
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .json().get("items")).as("callee typed as %s", typed).hasSize(1);
        }
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=86xxxxxxxx722").json().get("items")).isEmpty();
    }

    @Test
    void aCalleeNumberSentWithSeparatorsIsFoundHoweverItIsTyped() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Formatted numbers tenant");
        byte[] body = AirudderPayloads.signedUnique(tenant.key(),
            p -> ((ObjectNode) p.get("Details").get(0)).put("CalleeNumber", "+62 (812) 3456-7890"));
        assertThat(airudder.postBytes(tenant.callbackUrl(), body).status()).isEqualTo(200);
        // beside it, numbers that share its end but one digit before it, and a short one with a leading zero
        for (String other : List.of("+62 912-3456-7890", "01234")) {
            assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(),
                p -> ((ObjectNode) p.get("Details").get(0)).put("CalleeNumber", other))).status()).isEqualTo(200);
        }

        // as a ticket or a CRM has it: also without the country code, with a national 0 or an international 00 in front
        for (String typed : List.of("+62 (812) 3456-7890", "6281234567890", "+6281234567890", "62 812 3456 7890", "(62)812-3456-7890",
            "0812-3456-7890", "812 3456 7890", "0062 812 3456 7890")) {
            JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .json().get("items");
            assertThat(items).as("callee typed as %s", typed).hasSize(1);
            assertThat(items.get(0).get("calls").get(0).get("calleeNumber").asText()).isEqualTo("+6281234567890");
        }
        // another number, one with more before the end typed, and an end too short to tell numbers apart: none
        for (String typed : List.of("0812-3456-7891", "+63 812 3456 7890", "7890", "1234")) {
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .json().get("items")).as("callee typed as %s", typed).isEmpty();
        }
        for (String typed : List.of("0912 3456 7890", "01234", "0 1234")) {
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .json().get("items")).as("callee typed as %s", typed).hasSize(1);
        }
    }

    @Test
    void aCalleeSentInNationalFormIsFoundByTheInternationalNumberOnATicket() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "National numbers tenant");
        // beside it, another number, and one that would be its national form were the country code "628"
        for (String sent : List.of("0812-1111-2222", "+62 912 1111 2222", "1211112222")) {
            assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(),
                p -> ((ObjectNode) p.get("Details").get(0)).put("CalleeNumber", sent))).status()).isEqualTo(200);
        }

        for (String typed : List.of("+62 812 1111 2222", "+6281211112222", "0062 812-1111-2222", "0812 1111 2222", "812 1111 2222")) {
            JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .json().get("items");
            assertThat(items).as("callee typed as %s", typed).hasSize(1);
            assertThat(items.get(0).get("calls").get(0).get("calleeNumber").asText()).isEqualTo("0812-1111-2222".replace("-", ""));
        }
        // without + or 00 the typed digits may hold no country code: only numbers ending with them, as before
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=6281211112222").json().get("items")).isEmpty();
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=%2B6281211112223").json().get("items")).isEmpty();
        assertThat(admin.get("/api/v1/events?callee=%2B6291211112222&tenantId=" + tenant.id()).json().get("items")).hasSize(1);
    }

    @Test
    void supportFindsACallAcrossTenantsWithoutKnowingWhose() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Cross-tenant search tenant");
        TestTenant other = HookgateTestApp.createTenant(APP, "Other search tenant");
        String callId = "cross-" + UUID.randomUUID();
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> ((ObjectNode) p.get("Details").get(0)).put("CallID", callId)));

        JsonNode items = admin.get("/api/v1/events?callId=" + callId).json().get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("tenantId").asLong()).isEqualTo(tenant.id());
        assertThat(admin.get("/api/v1/events?callId=" + callId + "&tenantId=" + tenant.id()).json().get("items")).hasSize(1);
        assertThat(admin.get("/api/v1/events?callId=" + callId + "&tenantId=" + other.id()).json().get("items")).isEmpty();
    }

    @Test
    void aRedialsCallIdFindsItsCallLikeTheCallsOwn() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Redial search tenant");
        String callId = "answered-" + UUID.randomUUID();
        String redialId = "redial-" + UUID.randomUUID();
        String laterRedialId = "redial-" + UUID.randomUUID();
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> {
            ObjectNode call = (ObjectNode) p.get("Details").get(0);
            call.put("CallID", callId);
            call.putArray("RedailCall").add(call.objectNode().put("CallID", redialId).put("ResultLabel", "F"))
                .add(call.objectNode().put("CallID", laterRedialId));
        })).status()).isEqualTo(200);

        for (String searched : List.of(callId, redialId, laterRedialId)) {
            JsonNode items = admin.get("/api/v1/events?callId=" + searched).json().get("items");
            assertThat(items).as(searched).hasSize(1);
            assertThat(items.get(0).get("calls").get(0).get("callId").asText()).isEqualTo(callId);
        }
        JsonNode call = admin.get("/api/v1/events?callId=" + redialId).json().get("items").get(0).get("calls").get(0);
        assertThat(call.get("redialCallIds")).extracting(JsonNode::asText).containsExactly(redialId, laterRedialId);
        assertThat(admin.get("/api/v1/events?callId=redial-").json().get("items")).as("exact, not a prefix").isEmpty();
        long event = admin.get("/api/v1/events?callId=" + redialId).json().get("items").get(0).get("id").asLong();
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(ui.get("/events?callId=" + laterRedialId).body()).as("the UI search too, its link telling the event what was searched")
            .contains("href=\"/events/" + event + "?callId=" + laterRedialId + "\"");
        assertThat(ui.get("/events/" + event).body()).as("the call lists its redials").contains("Redials (CallID)")
            .contains(redialId + ", " + laterRedialId);
    }

    @Test
    void aSearchParameterThatDoesNotExistIsRefusedNotIgnored() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Misspelt search tenant");
        airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));

        for (String path : List.of("/api/v1/tenants/" + tenant.id() + "/events", "/api/v1/events")) {
            Http.Reply misspelt = admin.get(path + "?calleeNumber=%2B10000000000");
            assertThat(misspelt.status()).as(path).isEqualTo(400);
            assertThat(misspelt.json().get("field").asText()).isEqualTo("calleeNumber");
            assertThat(misspelt.json().get("message").asText()).contains("callee");
        }
        // "+" left unencoded arrives as a space: still the number meant
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?callee=" + AirudderPayloads.SEED_CALLEE).json().get("items"))
            .hasSize(1);
    }

    @Test
    void storedEventKeepsTheRawBodyByteForByte() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Raw body tenant");
        byte[] body = AirudderPayloads.signedSeed(tenant.key());
        airudder.postBytes(tenant.callbackUrl(), body);

        JsonNode found = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items").get(0);
        JsonNode event = admin.get("/api/v1/events/" + found.get("id").asLong()).json();

        assertThat(event.get("rawBody").asText()).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(event.get("payload").get("TaskName").asText()).isEqualTo("wf_test_wf_call_webhook_Voicebot Call1_26bcf0");
        assertThat(event.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(event.get("sourceIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void wrongSignIsRefusedWith401AndLoggedAsARejection() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Wrong sign tenant");
        ObjectNode payload = AirudderPayloads.seed();
        payload.put("Sign", "0123456789abcdef0123456789abcdef");

        Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.bytes(payload));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").asText()).isEqualTo("bad_signature");
        assertThat(reply.body()).doesNotContain(tenant.key()).doesNotContain(
            AirudderSignature.sign(AirudderPayloads.SEED_TASK_ID, tenant.key().getBytes(StandardCharsets.UTF_8)));
        JsonNode rejection = admin.get("/api/v1/tenants/" + tenant.id() + "/rejections").json().get("items").get(0);
        assertThat(rejection.get("reason").asText()).isEqualTo("bad_signature");
        assertThat(rejection.get("httpStatus").asInt()).isEqualTo(401);
        assertThat(rejection.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(rejection.get("bodyExcerpt").asText()).contains("0123456789abcdef0123456789abcdef");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).isEmpty();
    }

    @Test
    void aNotificationSignedWithAirudderDefaultKeyIsRefusedSayingSoSoOnboardingIsFixedInAirudder() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Default key tenant");

        Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed("airudder"));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().get("error").asText()).isEqualTo("bad_signature");
        assertThat(reply.json().get("message").asText()).contains("AIRUDDER's default KEY \"airudder\"")
            .contains("set the tenant's KEY").doesNotContain(tenant.key());
        JsonNode rejection = admin.get("/api/v1/tenants/" + tenant.id() + "/rejections").json().get("items").get(0);
        assertThat(rejection.get("message").asText()).contains("AIRUDDER's default KEY");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).isEmpty();
        Http.Reply otherKey = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed("not-the-tenant-key"));
        assertThat(otherKey.json().get("message").asText()).as("any other KEY").startsWith("Sign does not match TaskID");
    }

    @Test
    void supportFindsARefusedNotificationByItsTaskIdWithoutKnowingTheTenant() {
        TestTenant first = HookgateTestApp.createTenant(APP, "Refused first");
        TestTenant second = HookgateTestApp.createTenant(APP, "Refused second");
        ObjectNode badSign = AirudderPayloads.seed();
        badSign.put("TaskID", "task-refused-bad-sign");
        badSign.put("Sign", "0123456789abcdef0123456789abcdef");
        ObjectNode noSign = AirudderPayloads.seed();
        noSign.put("TaskID", "task-refused-no-sign");
        noSign.remove("Sign");
        assertThat(airudder.postBytes(first.callbackUrl(), AirudderPayloads.bytes(badSign)).status()).isEqualTo(401);
        assertThat(airudder.postBytes(second.callbackUrl(), AirudderPayloads.bytes(noSign)).status()).isEqualTo(400);
        assertThat(airudder.post(second.callbackUrl(), "{\"TaskID\": \"task-refused-cut").status()).isEqualTo(400);

        JsonNode bySign = admin.get("/api/v1/rejections?taskId=task-refused-bad-sign").json().get("items");
        assertThat(bySign).hasSize(1);
        assertThat(bySign.get(0).get("tenantId").asLong()).isEqualTo(first.id());
        assertThat(bySign.get(0).get("reason").asText()).isEqualTo("bad_signature");
        assertThat(bySign.get(0).get("taskId").asText()).isEqualTo("task-refused-bad-sign");
        JsonNode missing = admin.get("/api/v1/rejections?taskId=task-refused-no-sign").json().get("items");
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).get("tenantId").asLong()).isEqualTo(second.id());
        assertThat(missing.get(0).get("reason").asText()).isEqualTo("missing_field");

        JsonNode invalid = admin.get("/api/v1/rejections?tenantId=" + second.id() + "&reason=invalid_json").json().get("items");
        assertThat(invalid).hasSize(1);
        assertThat(invalid.get(0).get("taskId").isNull()).as("the JSON was not read far enough to know").isTrue();
        assertThat(invalid.get(0).get("bodyExcerpt").asText()).contains("task-refused-cut");

        JsonNode page = admin.get("/api/v1/tenants/" + second.id() + "/rejections?limit=1").json();
        assertThat(page.get("items").get(0).get("reason").asText()).isEqualTo("invalid_json");
        JsonNode older = admin.get("/api/v1/tenants/" + second.id() + "/rejections?limit=1&cursor=" + page.get("nextCursor").asText()).json();
        assertThat(older.get("items").get(0).get("reason").asText()).isEqualTo("missing_field");
        assertThat(older.get("nextCursor").isNull()).as("no older page").isTrue();

        assertThat(airudder.postBytes(first.callbackUrl() + "/info_chek", AirudderPayloads.signedUnique(first.key(),
            p -> p.put("TaskID", "task-refused-wrong-suffix"))).status()).isEqualTo(404);
        JsonNode wrongSuffix = admin.get("/api/v1/rejections?taskId=task-refused-wrong-suffix").json().get("items");
        assertThat(wrongSuffix).as("a mistyped kind in the registered URL is found by TaskID too").hasSize(1);
        assertThat(wrongSuffix.get(0).get("reason").asText()).isEqualTo("unknown_kind");
        assertThat(wrongSuffix.get(0).get("message").asText()).as("which URL to correct in AIRUDDER").contains("\"info_chek\"");

        Http.Reply unknownReason = admin.get("/api/v1/rejections?reason=wrong_key");
        assertThat(unknownReason.status()).isEqualTo(400);
        assertThat(unknownReason.json().get("field").asText()).isEqualTo("reason");
        assertThat(unknownReason.json().get("message").asText()).as("the reasons there are to search by")
            .contains("bad_signature").doesNotContain("unknown_callback");
        Http.Reply tenantless = admin.get("/api/v1/rejections?reason=unknown_callback");
        assertThat(tenantless.status()).isEqualTo(400);
        assertThat(tenantless.json().get("message").asText()).as("where such requests are counted instead")
            .contains("not recorded").contains("hookgate_ingest_notifications_total");
        assertThat(admin.get("/api/v1/rejections?taskID=task-refused-bad-sign").status()).as("a misspelt filter is refused").isEqualTo(400);
    }

    @Test
    void anotherTenantsKeyDoesNotOpenThisTenantsUrl() {
        TestTenant a = HookgateTestApp.createTenant(APP, "Tenant A");
        TestTenant b = HookgateTestApp.createTenant(APP, "Tenant B");

        assertThat(airudder.postBytes(b.callbackUrl(), AirudderPayloads.signedSeed(a.key())).status()).isEqualTo(401);
        assertThat(admin.get("/api/v1/tenants/" + b.id() + "/events").json().get("items")).isEmpty();
    }

    @Test
    void twentyConcurrentRepeatsAreStoredOnceAndAllAnswered200() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Concurrent tenant");
        byte[] body = AirudderPayloads.signedSeed(tenant.key());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Http.Reply>> posts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            posts.add(() -> {
                start.await();
                return airudder.postBytes(tenant.callbackUrl(), body);
            });
        }
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (Callable<Http.Reply> post : posts) {
            replies.add(pool.submit(post));
        }
        start.countDown();
        for (Future<Http.Reply> reply : replies) {
            assertThat(reply.get().status()).isEqualTo(200);
            assertThat(reply.get().body()).isEqualTo("{}");
        }
        pool.shutdown();

        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).hasSize(1);
    }

    @Test
    void concurrentNotificationsShareCommitsAndEachKeepsItsOwnCallsAndDeliveries() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Group commit tenant");
        admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(Map.of("name", "Sink",
            "url", "http://127.0.0.1:9/unreachable")));
        int distinct = 60;
        List<String> callIds = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            String callId = "group-commit-call-" + i;
            callIds.add(callId);
            int calls = 1 + i % 3;
            bodies.add(AirudderPayloads.signedUnique(tenant.key(), p -> {
                ArrayNode details = (ArrayNode) p.get("Details");
                ((ObjectNode) details.get(0)).put("CallID", callId);
                for (int extra = 1; extra < calls; extra++) {
                    details.add(((ObjectNode) details.get(0)).deepCopy().put("CallID", callId + "-" + extra));
                }
            }));
        }
        // every notification twice, all released at once: the repeats land in the same batches as their originals
        ExecutorService pool = Executors.newFixedThreadPool(2 * distinct);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (byte[] body : bodies) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return airudder.postBytes(tenant.callbackUrl(), body);
                }));
            }
        }
        start.countDown();
        for (Future<Http.Reply> reply : replies) {
            assertThat(reply.get().status()).isEqualTo(200);
        }
        pool.shutdown();

        for (int i = 0; i < distinct; i++) {
            JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?callId=" + callIds.get(i)).json().get("items");
            assertThat(items).as(callIds.get(i)).hasSize(1);
            assertThat(items.get(0).get("calls")).as(callIds.get(i)).hasSize(1 + i % 3);
            JsonNode deliveries = admin.get("/api/v1/events/" + items.get(0).get("id").asLong()).json().get("deliveries");
            assertThat(deliveries).as("deliveries of " + callIds.get(i)).hasSize(1);
        }
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=200").json().get("items")).hasSize(distinct);
        assertThat(APP.getEnvironment().metrics().histogram("hookgate.ingest.commit_batch").getSnapshot().getMax())
            .as("largest batch written in one commit").isGreaterThan(1);
    }

    @Test
    void rotatedKeyKeepsTheOldOneValidForItsGracePeriodOnly() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Rotating tenant");
        JsonNode rotated = admin.post("/api/v1/tenants/" + tenant.id() + "/key/rotate", Http.json(Map.of("graceHours", 0.001))).json();
        String newKey = rotated.get("key").asText();
        assertThat(newKey).isNotEqualTo(tenant.key());
        assertThat(rotated.get("previousKeyValidUntil").asText()).isNotBlank();

        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status())
            .as("old KEY within its 3.6 s grace").isEqualTo(200);
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(newKey, p -> { })).status())
            .as("new KEY").isEqualTo(200);

        Thread.sleep(4000);
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status())
            .as("old KEY after its grace").isEqualTo(401);
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(newKey, p -> { })).status())
            .as("new KEY after the grace").isEqualTo(200);
    }

    @Test
    void aCallbackWhoseTenantTheDatabaseDoesNotAnswerGets503NotAHang() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Hung database tenant");
        try (Connection blocker = DriverManager.getConnection(DATABASE)) {
            blocker.setAutoCommit(false);
            // a database that hangs: the tenant lookup waits for this lock for as long as it is held
            blocker.createStatement().execute("lock table tenants in access exclusive mode");
            Http.Reply hung = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
            assertThat(hung.status()).isEqualTo(503);
            assertThat(hung.json().get("error").asText()).isEqualTo("store_unavailable");
            blocker.rollback();
        }
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status())
            .as("once the database answers again").isEqualTo(200);
    }

    @Test
    void theRequestLogShowsRefusedCallbacksByTheTokensLastFourCharactersAndLeavesAcceptedOnesToTheDatabase() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Logged tenant");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed("not the KEY")).status()).isEqualTo(401);
        byte[] accepted = AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskID", "accepted-not-logged"));
        assertThat(airudder.postBytes(tenant.callbackUrl(), accepted).status()).isEqualTo(200);
        String token = tenant.callbackUrl().substring(tenant.callbackUrl().lastIndexOf('/') + 1);
        var requestLog = (FileAppenderFactory<?>) ((TokenMaskingRequestLogFactory)
            ((DefaultServerFactory) APP.getConfiguration().getServerFactory()).getRequestLogFactory())
            .getAppenders().get(0);
        Path file = Path.of(requestLog.getCurrentLogFilename());
        // mistyped, as a base URL pasted with a trailing slash gives: refused, and the token still held back
        String base = HookgateTestApp.baseUrl(APP);
        for (String mistyped : List.of("//hooks/", "/hooks//", "/Hooks/")) {
            assertThat(airudder.postBytes(base + mistyped + token, AirudderPayloads.signedSeed(tenant.key())).status())
                .as(mistyped).isBetween(400, 404);
        }
        String last4 = token.substring(token.length() - 4);
        List<String> masked = List.of("POST /hooks/…" + last4, "POST //hooks/…" + last4, "POST /hooks//…" + last4, "POST /Hooks/…" + last4);
        String lines = "";
        for (int i = 0; i < 100 && !masked.stream().allMatch(lines::contains); i++) { // the request log is written asynchronously
            Thread.sleep(50);
            lines = Files.readString(file);
        }
        assertThat(lines).contains(masked).doesNotContain(token);
        List<String> ours = lines.lines().filter(l -> l.contains("POST /hooks/…" + last4)).toList();
        assertThat(ours).as("the bad signature's line; the accepted notification is an event, not a line")
            .hasSize(1).allMatch(l -> l.contains("\" 401 "));
        assertThat(admin.get("/api/v1/events?tenantId=" + tenant.id() + "&taskId=accepted-not-logged").json().get("items"))
            .as("the accepted notification, found where support looks").hasSize(1);
    }

    @Test
    void twoTenantsCannotShareAName() {
        TestTenant acme = HookgateTestApp.createTenant(APP, "Acme Collections");
        Http.Reply again = admin.post("/api/v1/tenants", Http.json(Map.of("name", " acme collections ")));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("field").asText()).isEqualTo("name");
        assertThat(again.json().get("message").asText()).contains("already exists");

        TestTenant other = HookgateTestApp.createTenant(APP, "Acme Recoveries");
        assertThat(admin.patch("/api/v1/tenants/" + other.id(), Http.json(Map.of("name", "ACME Collections"))).status()).isEqualTo(400);
        assertThat(admin.patch("/api/v1/tenants/" + acme.id(), Http.json(Map.of("name", "ACME Collections"))).status())
            .as("a tenant renamed to its own name in other case").isEqualTo(200);
    }

    @Test
    void rotationWithoutGraceEndsEveryEarlierKey() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Leaked KEY tenant");
        String second = admin.post("/api/v1/tenants/" + tenant.id() + "/key/rotate", null).json().get("key").asText();
        String third = admin.post("/api/v1/tenants/" + tenant.id() + "/key/rotate", Http.json(Map.of("graceHours", 0))).json()
            .get("key").asText();

        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status())
            .as("first KEY, whose day of grace the second rotation cut short").isEqualTo(401);
        Http.Reply withSecond = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(second, p -> { }));
        assertThat(withSecond.status()).as("second KEY, rotated out without grace").isEqualTo(401);
        assertThat(withSecond.json().get("message").asText()).as("the usual reason, a rotation not yet entered in AIRUDDER, named")
            .startsWith("Sign was made with a previous KEY of this tenant, no longer valid since ")
            .contains("set the current KEY in AIRUDDER");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique("never-this-tenants-key", p -> { }))
            .json().get("message").asText()).startsWith("Sign does not match TaskID and this tenant's KEY");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(third, p -> { })).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/tenants/" + tenant.id()).json().has("previousKeyValidUntil"))
            .as("no earlier KEY is still valid").isFalse();
    }

    @Test
    void defaultRotationKeepsTheOldKeyForADay() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Default grace tenant");
        admin.post("/api/v1/tenants/" + tenant.id() + "/key/rotate", null);
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
        String validUntil = admin.get("/api/v1/tenants/" + tenant.id()).json().get("previousKeyValidUntil").asText();
        assertThat(Instant.parse(validUntil)).isAfter(Instant.now().plusSeconds(23 * 3600));
    }

    @Test
    void regeneratedCallbackTokenRetiresTheOldUrl() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Token tenant");
        String newUrl = HookgateTestApp.localCallbackUrl(APP,
            admin.post("/api/v1/tenants/" + tenant.id() + "/token/rotate", null).json().get("callbackUrl").asText());

        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(404);
        assertThat(airudder.postBytes(newUrl, AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);
    }

    @Test
    void badBodiesGetACleanClientErrorAndNeverA500() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Bad bodies tenant");
        Map<String, byte[]> bodies = Map.of(
            "malformed JSON", "{\"TaskID\": ".getBytes(StandardCharsets.UTF_8),
            "empty body", new byte[0],
            "1 MiB + 1 byte", oneMebibytePlusOne(),
            "non-UTF-8 bytes", new byte[] {'{', '"', 'T', 'a', 's', 'k', 'I', 'D', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
            "deep nesting", ("{\"Details\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8),
            "array", "[]".getBytes(StandardCharsets.UTF_8),
            "missing CallID", "{\"TaskID\":\"t\",\"Sign\":\"s\",\"Details\":[{}]}".getBytes(StandardCharsets.UTF_8));
        Map<String, Integer> expected = Map.of("1 MiB + 1 byte", 413);
        bodies.forEach((what, body) -> {
            Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), body);
            assertThat(reply.status()).as(what).isEqualTo(expected.getOrDefault(what, 400));
            assertThat(reply.json().get("error").asText()).as(what).isNotBlank();
            assertThat(reply.json().get("message").asText()).as(what).isNotBlank();
        });
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/rejections?limit=50").json().get("items")).hasSize(bodies.size());
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).isEmpty();
    }

    @Test
    void aBodyWithoutContentLengthIsReadWholeAndStillCappedAtOneMebibyte() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Chunked tenant");
        byte[] notification = AirudderPayloads.signedSeed(tenant.key());

        Http.Reply stored = airudder.postChunked(tenant.callbackUrl(), notification);
        Http.Reply tooLarge = airudder.postChunked(tenant.callbackUrl(), oneMebibytePlusOne());

        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo("{}");
        assertThat(tooLarge.status()).isEqualTo(413);
        JsonNode events = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items");
        assertThat(events).hasSize(1);
        // the stored body is the whole notification, byte for byte
        assertThat(admin.get("/api/v1/events/" + events.get(0).get("id").asLong()).json()
            .get("rawBody").asText()).isEqualTo(new String(notification, StandardCharsets.UTF_8));
    }

    @Test
    void missingFieldIsNamedInTheAnswer() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Missing field tenant");
        ObjectNode payload = AirudderPayloads.seed();
        payload.remove("TaskID");
        Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.bytes(payload));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo("missing_field");
        assertThat(reply.json().get("message").asText()).contains("TaskID");
    }

    @Test
    void unknownCallbackTokenIs404() {
        Http.Reply reply = airudder.postBytes("/hooks/not-a-real-token", AirudderPayloads.signedSeed("whatever-key"));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).isEqualTo("unknown_callback");
    }

    @Test
    void callbackUrlsTakePostOnlyAndOtherPathsUnderHooksAre404() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Routing tenant");
        Http.Reply get = airudder.get(tenant.callbackUrl());
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(airudder.put(tenant.callbackUrl(), "{}").status()).isEqualTo(405);

        for (String path : List.of("/hooks", "/hooks/")) {
            Http.Reply reply = airudder.postBytes(path, AirudderPayloads.signedSeed(tenant.key()));
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.json().get("error").asText()).as(path).isEqualTo("not_found");
        }
        // more after the token than a kind: refused, and listed for the tenant the token names, where support looks
        Http.Reply deeper = airudder.postBytes(tenant.callbackUrl() + "/info_check/more", AirudderPayloads.signedSeed(tenant.key()));
        assertThat(deeper.status()).isEqualTo(404);
        assertThat(deeper.json().get("error").asText()).isEqualTo("unknown_kind");
        assertThat(deeper.json().get("message").asText()).contains("\"info_check/more\"");
        JsonNode rejections = admin.get("/api/v1/tenants/" + tenant.id() + "/rejections").json().get("items");
        assertThat(rejections).hasSize(1);
        assertThat(rejections.get(0).get("reason").asText()).isEqualTo("unknown_kind");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).isEmpty();
    }

    @Test
    void aCallbackUrlPastedWithATrailingSlashIsTheSameCallbackUrl() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Trailing slash tenant");
        byte[] plain = AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskID", "trailing-slash-plain"));
        byte[] withKind = AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskID", "trailing-slash-kind"));
        assertThat(airudder.postBytes(tenant.callbackUrl() + "/", plain).status()).isEqualTo(200);
        assertThat(airudder.postBytes(tenant.callbackUrl() + "/call_completion/", withKind).status()).isEqualTo(200);
        // the same notification at the URL as registered: the repeat AIRUDDER would send, stored once
        assertThat(airudder.postBytes(tenant.callbackUrl(), plain).status()).isEqualTo(200);
        JsonNode events = admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items");
        assertThat(events).extracting(e -> e.get("taskId").asText())
            .containsExactlyInAnyOrder("trailing-slash-plain", "trailing-slash-kind");
    }

    @Test
    void suspendedTenantGets403AndNothingIsStoredUntilResumed() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Suspended tenant");
        admin.patch("/api/v1/tenants/" + tenant.id(), "{\"status\":\"suspended\"}");

        Http.Reply refused = airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key()));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("tenant_suspended");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events").json().get("items")).isEmpty();
        Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
            HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(ui.get("/tenants/" + tenant.id()).body()).as("the tenant page says what suspension does")
            .contains("This tenant is suspended: its callback URL");

        admin.patch("/api/v1/tenants/" + tenant.id(), "{\"status\":\"active\"}");
        assertThat(ui.get("/tenants/" + tenant.id()).body()).doesNotContain("This tenant is suspended");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);
    }

    @Test
    void aCallCompletionWithAForgedSignCannotPassAsAnUnsignedKindThroughItsUrlSuffix() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Forged suffix tenant");
        ObjectNode forged = AirudderPayloads.seed();
        forged.put("TaskID", "forged-1").put("Sign", "0".repeat(32)).put("status", "finished");

        Http.Reply refused = airudder.postBytes(tenant.callbackUrl() + "/workflow_status", AirudderPayloads.bytes(forged));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("kind_mismatch");
        assertThat(admin.get("/api/v1/events?taskId=forged-1").json().get("items")).as("nothing stored, nothing forwarded").isEmpty();
        JsonNode rejection = admin.get("/api/v1/rejections?taskId=forged-1").json().get("items").get(0);
        assertThat(rejection.get("reason").asText()).isEqualTo("kind_mismatch");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.bytes(forged)).status()).as("and without the suffix")
            .isEqualTo(401);
    }

    @Test
    void unsignedKindsAreAcceptedAndMarkedUnlessTheTenantRefusesThem() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Unsigned tenant");
        String statusChange = "{\"workflow_id\":\"wf-1\",\"workflow_name\":\"n\",\"status\":\"finished\",\"actions\":[]}";

        assertThat(airudder.post(tenant.callbackUrl(), statusChange).status()).isEqualTo(200);
        JsonNode event = admin.get("/api/v1/tenants/" + tenant.id() + "/events?kind=workflow_status").json().get("items").get(0);
        assertThat(event.get("signed").asBoolean()).isFalse();
        assertThat(event.get("workflowId").asText()).isEqualTo("wf-1");
        assertThat(event.has("taskId")).as("every field is there, null when it has none").isTrue();
        assertThat(event.get("taskId").isNull()).isTrue();

        admin.patch("/api/v1/tenants/" + tenant.id(), "{\"acceptUnsigned\":false}");
        Http.Reply refused = airudder.post(tenant.callbackUrl(), statusChange.replace("wf-1", "wf-2"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("unsigned_not_accepted");
        assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedSeed(tenant.key())).status())
            .as("signed kinds still accepted").isEqualTo(200);
    }

    @Test
    void kindSuffixStoresTheNamedKindAndUnknownSuffixesAre404() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Suffix tenant");
        assertThat(airudder.postBytes(tenant.callbackUrl() + "/info_check", AirudderPayloads.signedSeed(tenant.key())).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?kind=info_check").json().get("items")).hasSize(1);

        Http.Reply unknown = airudder.postBytes(tenant.callbackUrl() + "/nonsense", AirudderPayloads.signedSeed(tenant.key()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("unknown_kind");
    }

    @Test
    void searchIsNewestFirstAndPagesWithACursor() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paging tenant");
        for (int i = 0; i < 5; i++) {
            int n = i;
            airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> p.put("TaskName", "task " + n)));
        }
        JsonNode first = admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=3").json();
        assertThat(first.get("items")).hasSize(3);
        JsonNode second = admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=3&cursor=" + first.get("nextCursor").asText()).json();
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("nextCursor").isNull()).isTrue();
        List<Long> ids = new ArrayList<>();
        first.get("items").forEach(e -> ids.add(e.get("id").asLong()));
        second.get("items").forEach(e -> ids.add(e.get("id").asLong()));
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();

        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?from=yesterday").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=100000").status()).isEqualTo(400);
    }

    private static byte[] oneMebibytePlusOne() {
        byte[] body = new byte[1024 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        return body;
    }
}
