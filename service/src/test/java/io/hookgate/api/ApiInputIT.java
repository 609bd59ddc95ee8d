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
import io.hookgate.testing.TestReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a script that sends the API bad input sees: a 400 that names the field, never a 500, a misread value or a
 * filter silently dropped (which, for a bulk replay, would widen it to every tenant).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiInputIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();

    private final Http admin = HookgateTestApp.admin(APP);

    @Test
    void aUrlTooLongForTheServerIsAnsweredInJsonLikeEveryOtherError() {
        Http.Reply tooLong = admin.get("/api/v1/events?taskId=" + "a".repeat(20_000));
        assertThat(tooLong.status()).isEqualTo(414);
        assertThat(tooLong.json().get("error").asText()).isEqualTo("uri_too_long");
        assertThat(tooLong.json().get("message").asText()).contains("longer than this server reads");
    }

    @Test
    void aMisspeltFilterIsRefusedRatherThanIgnoredAboveAllOnABulkReplay() {
        assertRefused(admin.post("/api/v1/dead-letters/replay?destinationid=999", null), "destinationid");
        assertThat(admin.get("/api/v1/replays/1").status()).as("no replay was started").isEqualTo(404);
        assertRefused(admin.get("/api/v1/dead-letters?tenantid=999"), "tenantid");
        assertRefused(admin.get("/api/v1/dead-letters?includeReplayed=maybe"), "includeReplayed");
        assertRefused(admin.get("/api/v1/tenants?serach=acme"), "serach");
        assertRefused(admin.get("/api/v1/users?role=support"), "role");
        assertRefused(admin.get("/api/v1/tokens?all=true"), "all");
        assertRefused(admin.get("/api/v1/events?taskId=a&taskId=b"), "taskId");
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Filters tenant");
        long destination = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "CRM", "url", "http://127.0.0.1:9/crm"))).json().get("id").asLong();
        assertRefused(admin.get("/api/v1/destinations/" + destination + "/deliveries?state=dead"), "state");
        assertRefused(admin.get("/api/v1/overview?tenant=" + tenant.id()), "tenant");
        assertRefused(admin.get("/api/v1/overview?tenantId=4&tenantId=" + tenant.id()), "tenantId");
        Http.Reply unset = admin.post("/api/v1/dead-letters/replay?tenantId=", null);
        assertRefused(unset, "tenantId");
        assertThat(unset.json().get("message").asText()).contains("is empty");
        assertRefused(admin.get("/api/v1/events?callee=%20"), "callee");
        assertThat(admin.get("/api/v1/events?cursor=").status()).as("an empty cursor is the first page").isEqualTo(200);
        assertRefused(admin.get("/api/v1/retention/passes?limit=1&limit=2"), "limit");
        Http.Reply none = admin.get("/api/v1/tenants/" + tenant.id() + "?x=1");
        assertRefused(none, "x");
        assertThat(none.json().get("message").asText()).contains("takes no query parameters");
        assertRefused(admin.get("/api/v1/destinations/" + destination + "?verbose=true"), "verbose");
    }

    @Test
    void aBodySentToAnEndpointThatTakesNoneIsRefusedAboveAllOnABulkReplayWhoseFilterIsInTheQuery() {
        int replaysBefore = admin.get("/api/v1/replays?limit=500").json().get("items").size();
        Http.Reply misplaced = admin.post("/api/v1/dead-letters/replay", "{\"tenantId\": 2, \"destinationId\": 3}");
        assertRefused(misplaced, "tenantId");
        assertThat(misplaced.json().get("message").asText()).contains("query string");
        assertThat(admin.get("/api/v1/replays?limit=500").json().get("items")).as("no replay of everything").hasSize(replaysBefore);
        assertRefused(admin.post("/api/v1/dead-letters/1/replay", "{\"a\": 1}"), "a");
        assertThat(admin.post("/api/v1/deliveries/987654/retry", "{ }").status()).as("an empty object says nothing: past the check")
            .isEqualTo(404);
    }

    @Test
    void aFieldGivenTwiceInABodyIsRefusedRatherThanOneOfItsValuesGuessed() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Twice named tenant");
        Http.Reply twice = admin.post("/api/v1/tenants", "{\"name\": \"Q tenant\", \"name\": \"R tenant\"}");
        assertRefused(twice, "name");
        assertThat(twice.json().get("message").asText()).contains("given twice");
        assertThat(admin.get("/api/v1/tenants?search=R tenant".replace(" ", "%20")).json()).isEmpty();
        String keyBefore = admin.get("/api/v1/tenants/" + tenant.id()).json().path("previousKeyValidUntil").asText();
        assertRefused(admin.post("/api/v1/tenants/" + tenant.id() + "/key/rotate", "{\"graceHours\": 0, \"graceHours\": 24}"),
            "graceHours");
        Http.Reply nested = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            "{\"name\": \"CRM\", \"url\": \"http://127.0.0.1:9/crm\", \"backoff\": {\"initialMs\": 1000, \"initialMs\": 2000}}");
        assertRefused(nested, "backoff.initialMs");
        assertThat(nested.json().get("message").asText()).contains("given twice");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id()).json().path("previousKeyValidUntil").asText()).as("no rotation")
            .isEqualTo(keyBefore);
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(),
            AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).as("the KEY still verifies").isEqualTo(200);
    }

    @Test
    void aNumberThatIsNotANumberNamesItsParameter() {
        assertRefused(admin.get("/api/v1/overview?tenantId=abc"), "tenantId");
        assertRefused(admin.get("/api/v1/audit?limit=ten"), "limit");
        assertRefused(admin.get("/api/v1/dead-letters?destinationId=99999999999999999999"), "destinationId");
    }

    @Test
    void aCursorNoListGaveIsRefusedAlikeInTheApiAndTheUi() {
        Http.Reply api = admin.get("/api/v1/events?cursor=page2");
        assertRefused(api, "cursor");
        assertThat(api.json().get("message").asText()).contains("is not a cursor Hookgate gave");
        Browserless.Page page = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD)
            .get("/events?cursor=page2");
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("is not a cursor Hookgate gave");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNotConverted() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Types tenant");
        assertRefused(admin.patch("/api/v1/tenants/" + tenant.id(), "{\"retentionDays\": 1.5}"), "retentionDays");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id()).json().has("retentionDays")).as("not rounded to 1 day").isFalse();
        assertRefused(admin.post("/api/v1/tenants", "{\"name\": 123}"), "name");
        assertRefused(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            "{\"name\": \"CRM\", \"url\": \"http://127.0.0.1:9/crm\", \"headers\": {\"X-Account\": 1}}"), "headers.X-Account");
        assertRefused(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            "{\"name\": \"CRM\", \"url\": \"http://127.0.0.1:9/crm\", \"enabled\": \"yes\"}"), "enabled");
        Http.Reply array = admin.post("/api/v1/tenants", "[]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.body()).as("no Java class names").doesNotContain("io.hookgate").contains("must be a JSON object");
    }

    @Test
    void aPatchTellsAFieldLeftOutFromANull() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Patch nulls tenant");
        String path = "/api/v1/tenants/" + tenant.id();
        assertThat(admin.patch(path, "{\"retentionDays\": 30}").json().get("retentionDays").asInt()).isEqualTo(30);
        assertThat(admin.patch(path, "{\"acceptUnsigned\": true}").json().get("retentionDays").asInt())
            .as("left out: kept").isEqualTo(30);
        Http.Reply backToDefault = admin.patch(path, "{\"retentionDays\": null}");
        assertThat(backToDefault.status()).isEqualTo(200);
        assertThat(backToDefault.json().has("retentionDays")).as("null, as a GET shows the default, returns to it").isFalse();
        Http.Reply nullName = admin.patch(path, "{\"name\": null, \"retentionDays\": 7}");
        assertRefused(nullName, "name");
        assertThat(nullName.json().get("message").asText()).contains("cannot be null");
        assertRefused(admin.patch(path, "{\"acceptUnsigned\": null}"), "acceptUnsigned");
        JsonNode after = admin.get(path).json();
        assertThat(after.get("name").asText()).isEqualTo("Patch nulls tenant");
        assertThat(after.has("retentionDays")).as("nothing of a refused PATCH applied").isFalse();
        assertThat(after.get("acceptUnsigned").asBoolean()).isTrue();
    }

    @Test
    void aNulCharacterIsA400ThatNamesItsFieldNotA500() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Zero-character input tenant");
        Map<String, Http.Reply> replies = new LinkedHashMap<>();
        replies.put("name", admin.post("/api/v1/tenants", "{\"name\": \"nul\\u0000name\"}"));
        replies.put("name ", admin.post("/api/v1/tokens", "{\"name\": \"a\\u0000b\"}"));
        replies.put("headers.X-Key", admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            "{\"name\": \"CRM\", \"url\": \"http://127.0.0.1:9/crm\", \"headers\": {\"X-Key\": \"a\\u0000\"}}"));
        replies.put("filter[0].in[1]", admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            "{\"name\": \"CRM\", \"url\": \"http://127.0.0.1:9/crm\", \"filter\": [{\"field\": \"Details[].Status\", \"in\": [\"a\", \"\\u0000\"]}]}"));
        replies.put("taskId", admin.get("/api/v1/events?taskId=%00"));
        replies.put("actor", admin.get("/api/v1/audit?actor=%00"));
        replies.forEach((field, reply) -> {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).isEqualTo("invalid_input");
            assertThat(reply.json().get("message").asText()).contains("NUL character");
            assertThat(reply.json().get("field").asText()).as(reply.toString()).isEqualTo(field.strip());
        });
        assertThat(admin.get("/api/v1/tenants?search=nul").json()).as("nothing half-created").isEmpty();
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).isEmpty();
    }

    @Test
    void aTenantThatDoesNotExistIsNotFoundNotEmpty() {
        assertThat(admin.get("/api/v1/tenants/987654/events").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/tenants/987654/rejections").status()).isEqualTo(404);
        for (Http.Reply reply : new Http.Reply[] {admin.get("/api/v1/events?tenantId=987654"), admin.get("/api/v1/rejections?tenantId=987654"),
            admin.get("/api/v1/dead-letters?tenantId=987654"), admin.get("/api/v1/audit?tenantId=987654"),
            admin.get("/api/v1/overview?tenantId=987654"), admin.get("/api/v1/replays?tenantId=987654"),
            admin.post("/api/v1/dead-letters/replay?tenantId=987654", null)}) {
            assertThat(reply.status()).as("a platform admin's typo is not an empty list: " + reply).isEqualTo(404);
            assertThat(reply.json().get("message").asText()).isEqualTo("tenant 987654 not found");
        }
    }

    @Test
    void aTenantSearchMatchesUnderscoresAndPercentSignsLiterally() {
        HookgateTestApp.createTenant(APP, "Search_literal Ltd");
        HookgateTestApp.createTenant(APP, "Search literal Ltd");
        assertThat(admin.get("/api/v1/tenants?search=_").json().findValuesAsText("name")).contains("Search_literal Ltd")
            .doesNotContain("Search literal Ltd");
        assertThat(admin.get("/api/v1/tenants?search=%25").json().findValuesAsText("name")).doesNotContain("Search literal Ltd");
    }

    @Test
    void aKeyRevealWithoutAPasswordIsIncompleteNotAWrongGuess() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Reveal input tenant");
        assertRefused(admin.post("/api/v1/tenants/" + tenant.id() + "/key/reveal", "{}"), "password");
        assertRefused(admin.post("/api/v1/tenants/" + tenant.id() + "/key/reveal", "{\"password\": 123}"), "password");
        assertThat(admin.get("/api/v1/audit?action=password.confirm.&tenantId=" + tenant.id()).json().get("items"))
            .as("nothing that counts toward a lock").isEmpty();
    }

    @Test
    void aDeadLetterOfADeletedDestinationCannotBeReplayedAndIsNotCountedAsReplayable() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Deleted destination tenant");
        try (TestReceiver failing = TestReceiver.start().answering(n -> TestReceiver.Answer.status(500))) {
            long destination = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(Map.of("name", "Gone",
                "url", failing.url(), "maxAttempts", 1))).json().get("id").asLong();
            assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(),
                AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);
            JsonNode letters = admin.get("/api/v1/dead-letters?tenantId=" + tenant.id()).json().get("items");
            for (int i = 0; i < 200 && letters.isEmpty(); i++) {
                Thread.sleep(50);
                letters = admin.get("/api/v1/dead-letters?tenantId=" + tenant.id()).json().get("items");
            }
            assertThat(letters).hasSize(1);
            assertThat(admin.delete("/api/v1/destinations/" + destination).status()).isEqualTo(204);

            Http.Reply replay = admin.post("/api/v1/dead-letters/" + letters.get(0).get("id").asLong() + "/replay", null);
            assertThat(replay.status()).isEqualTo(409);
            assertThat(replay.json().get("message").asText()).contains("its destination was deleted");
            assertThat(admin.post("/api/v1/dead-letters/replay?tenantId=" + tenant.id(), null).json().get("matched").asInt()).isZero();
            assertThat(admin.get("/api/v1/dead-letters?tenantId=" + tenant.id()).json().get("items")).as("no longer waiting").isEmpty();
            JsonNode kept = admin.get("/api/v1/dead-letters?includeReplayed=true&tenantId=" + tenant.id()).json().get("items");
            assertThat(kept).as("kept for the record").hasSize(1);
            assertThat(kept.get(0).get("destinationDeleted").asBoolean()).isTrue();
            assertThat(admin.get("/api/v1/overview?tenantId=" + tenant.id()).json().get("deadLettersWaiting").asInt()).isZero();

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            String list = ui.get("/dead-letters?tenant=" + tenant.id() + "&replayed=on").body();
            assertThat(ui.get("/dead-letters?destination=" + destination + "&replayed=on").body())
                .as("its dead letters can still be listed by it, as in the API").contains("<td>Gone (deleted)</td>");
            assertThat(list).as("named as it was").contains("<td>Gone (deleted)</td>").contains("not replayable: its destination was deleted")
                .doesNotContain("name=\"ids\"").doesNotContain("Replay all").doesNotContain("Replay selected");
            Browserless.Page confirm = ui.postForm("/dead-letters/confirm",
                Map.of("scope", "all", "tenant", String.valueOf(tenant.id())));
            assertThat(confirm.status()).as("no confirmation of a replay of nothing").isEqualTo(303);
            assertThat(ui.follow(confirm).body()).contains("Nothing to replay");
            assertThat(ui.get("/events/" + kept.get(0).get("eventId").asLong()).body())
                .contains("not replayable: its destination was deleted").doesNotContain("Replay this dead letter")
                .contains("<strong>Gone (deleted)</strong>")
                .as("nowhere to redeliver to either").doesNotContain("Redeliver to this destination");
            assertThat(ui.get("/events?tenant=" + tenant.id()).body()).as("no trouble left to act on in the events list")
                .contains(">1 dead (destination deleted)</span>").doesNotContain(">1 dead</span>");

            Http.Reply gone = admin.get("/api/v1/destinations/" + destination);
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.json().get("message").asText()).as("those who may read it are told what became of it")
                .startsWith("destination " + destination + " not found: \"Gone\" was deleted at 20");
            Browserless.Page page = ui.get("/destinations/" + destination);
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.body()).contains("&quot;Gone&quot; was deleted at");
            HookgateTestApp.createUser(APP, "deleted-destination-outsider@agency.test", "outsider-password-1234", "tenant_admin",
                HookgateTestApp.createTenant(APP, "Outsider tenant").id());
            Http.Reply outsider = Http.anonymous(HookgateTestApp.baseUrl(APP)).basic("deleted-destination-outsider@agency.test",
                "outsider-password-1234").get("/api/v1/destinations/" + destination);
            assertThat(outsider.status()).isEqualTo(404);
            assertThat(outsider.json().get("message").asText()).as("another tenant's is not named").doesNotContain("Gone");
        }
    }

    @Test
    void anUpdateThatChangesNothingLeavesNoTrace() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Unchanged tenant");
        String updatedAt = admin.get("/api/v1/tenants/" + tenant.id()).json().get("updatedAt").asText();
        assertThat(admin.patch("/api/v1/tenants/" + tenant.id(), "{}").json().get("updatedAt").asText()).isEqualTo(updatedAt);
        assertThat(admin.patch("/api/v1/tenants/" + tenant.id(), "{\"name\": \"Unchanged tenant\"}").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/audit?action=tenant.update&tenantId=" + tenant.id()).json().get("items")).isEmpty();
    }

    @Test
    void aLastStatusNoAttemptEndsWithIsRefusedRatherThanMatchingNothing() {
        Http.Reply typo = admin.get("/api/v1/dead-letters?lastStatus=timout");
        assertRefused(typo, "lastStatus");
        assertThat(typo.json().get("message").asText()).contains("connection_refused");
        assertRefused(admin.post("/api/v1/dead-letters/replay?lastStatus=timout", null), "lastStatus");
        assertThat(admin.get("/api/v1/dead-letters?lastStatus=connect_timeout").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/dead-letters?lastStatus=HTTP%20503").status()).isEqualTo(200);
    }

    @Test
    void aDestinationFilterNamingNoSuchDestinationOrAnotherTenantsIsNotFound() {
        TestTenant one = HookgateTestApp.createTenant(APP, "Destination filter tenant one");
        TestTenant other = HookgateTestApp.createTenant(APP, "Destination filter tenant two");
        long othersDestination = admin.post("/api/v1/tenants/" + other.id() + "/destinations",
            Http.json(Map.of("name", "CRM", "url", "http://127.0.0.1:9/crm"))).json().get("id").asLong();
        for (Http.Reply reply : new Http.Reply[] {
            admin.get("/api/v1/dead-letters?tenantId=" + one.id() + "&destinationId=" + othersDestination),
            admin.post("/api/v1/dead-letters/replay?tenantId=" + one.id() + "&destinationId=" + othersDestination, null),
            admin.get("/api/v1/dead-letters?destinationId=987654"),
            admin.post("/api/v1/dead-letters/replay?destinationId=987654", null)}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            assertThat(reply.json().get("message").asText()).startsWith("destination ");
        }
        assertThat(admin.get("/api/v1/dead-letters?destinationId=" + othersDestination).status()).isEqualTo(200);
    }

    @Test
    void aCallbackUrlRotationRefusesAGracePeriodItCannotGive() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Token rotation input tenant");
        Http.Reply withGrace = admin.post("/api/v1/tenants/" + tenant.id() + "/token/rotate", "{\"graceHours\": 48}");
        assertRefused(withGrace, "graceHours");
        assertThat(withGrace.json().get("message").asText()).contains("replaced at once");
        assertThat(Http.anonymous(HookgateTestApp.baseUrl(APP)).postBytes(tenant.callbackUrl(),
            AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).as("the URL still works").isEqualTo(200);
        assertThat(admin.post("/api/v1/tenants/" + tenant.id() + "/token/rotate", "{}").status()).isEqualTo(200);
    }

    private static void assertRefused(Http.Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("field").asText()).as(reply.toString()).isEqualTo(field);
    }
}
