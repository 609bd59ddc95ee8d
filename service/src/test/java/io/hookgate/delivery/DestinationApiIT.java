package io.hookgate.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A tenant's destinations as the management API shows them, and what their settings do to the webhooks Hookgate
 * sends: defaults, validation, masked headers, kinds and filters, signing secrets, the test button, the SSRF guard,
 * deletion and who may do what.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DestinationApiIT {

    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension();
    /** A second server with the SSRF guard on, as in production (the first lets destinations point at 127.0.0.1). */
    static final DropwizardAppExtension<HookgateConfiguration> GUARDED = HookgateTestApp.extension(guardedSettings());
    static final String PASSWORD = "correct horse battery";
    static final String MASK = "••••••";

    static Http admin;
    static Http airudder;
    static Http adminOfA;
    static Http support;
    static TestTenant a;
    static TestTenant b;

    static Map<String, String> guardedSettings() {
        Map<String, String> settings = HookgateTestApp.settings(TestDatabase.fresh());
        settings.put("delivery.allowPrivateDestinations", "false");
        return settings;
    }

    @BeforeAll
    static void tenantsAndUsers() {
        admin = HookgateTestApp.admin(APP);
        airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));
        a = HookgateTestApp.createTenant(APP, "Tenant A");
        b = HookgateTestApp.createTenant(APP, "Tenant B");
        createUser("dest-admin-a@agency.test", "tenant_admin", a.id());
        createUser("dest-support@agency.test", "support", null);
        adminOfA = airudder.basic("dest-admin-a@agency.test", PASSWORD);
        support = airudder.basic("dest-support@agency.test", PASSWORD);
    }

    @Test
    void createdDestinationShowsItsDefaultsAndASigningSecret() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Defaults tenant");

        Http.Reply created = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "  CRM  ", "url", "https://127.0.0.1:8443/hooks")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode d = created.json();
        assertThat(d.get("id").asLong()).isPositive();
        assertThat(d.get("tenantId").asLong()).isEqualTo(tenant.id());
        assertThat(d.get("name").asText()).isEqualTo("CRM");
        assertThat(d.get("url").asText()).isEqualTo("https://127.0.0.1:8443/hooks");
        assertThat(d.get("enabled").asBoolean()).isTrue();
        assertThat(d.get("kinds")).isEmpty();
        assertThat(d.has("filter")).isFalse();
        assertThat(d.get("headers")).isEmpty();
        assertThat(d.get("timeoutMs").asInt()).isEqualTo(10_000);
        assertThat(d.get("maxAttempts").asInt()).isEqualTo(12);
        assertThat(d.get("backoff").get("initialMs").asLong()).isEqualTo(5_000);
        assertThat(d.get("backoff").get("multiplier").asDouble()).isEqualTo(3.0);
        assertThat(d.get("backoff").get("maxMs").asLong()).isEqualTo(6 * 3_600_000L);
        assertThat(d.has("rateLimitPerSecond")).isFalse();
        assertThat(d.get("maxInFlight").asInt()).isEqualTo(8);
        assertThat(d.has("previousSecretValidUntil")).isFalse();
        assertThat(d.get("circuit").asText()).isEqualTo("closed");
        String secret = d.get("signingSecret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);

        JsonNode read = admin.get("/api/v1/destinations/" + d.get("id").asLong()).json();
        assertThat(read).isEqualTo(d);
        JsonNode listed = admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asLong()).isEqualTo(d.get("id").asLong());

        String other = create(tenant, Map.of("name", "Other", "url", "https://127.0.0.1:8443/other")).get("signingSecret").asText();
        assertThat(other).as("each destination has its own secret").isNotEqualTo(secret);
    }

    @Test
    void aTenantsDestinationsHaveNamesSupportCanTellApart() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Names tenant");
        TestTenant other = HookgateTestApp.createTenant(APP, "Other names tenant");
        long erp = id(create(tenant, Map.of("name", "Slow ERP", "url", "http://127.0.0.1:9999/erp")));
        long crm = id(create(tenant, Map.of("name", "CRM", "url", "http://127.0.0.1:9999/crm")));

        for (String taken : List.of("Slow ERP", " slow erp ")) {
            Http.Reply again = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
                Http.json(Map.of("name", taken, "url", "http://127.0.0.1:9999/other")));
            assertThat(again.status()).as(taken).isEqualTo(400);
            assertThat(again.json().get("field").asText()).isEqualTo("name");
            assertThat(again.json().get("message").asText()).contains("already has a destination named");
        }
        Http.Reply renamed = admin.put("/api/v1/destinations/" + crm, Http.json(Map.of("name", "SLOW ERP", "url", "http://127.0.0.1:9999/crm")));
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.json().get("field").asText()).isEqualTo("name");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).extracting(d -> d.get("name").asText())
            .containsExactlyInAnyOrder("Slow ERP", "CRM");

        // its own name kept while other settings change; another tenant's names are its own; a deleted one's is free again
        assertThat(admin.put("/api/v1/destinations/" + erp, Http.json(Map.of("name", "Slow ERP", "url", "http://127.0.0.1:9999/erp2")))
            .status()).isEqualTo(200);
        create(other, Map.of("name", "Slow ERP", "url", "http://127.0.0.1:9999/erp"));
        assertThat(admin.delete("/api/v1/destinations/" + erp).status()).isEqualTo(204);
        create(tenant, Map.of("name", "Slow ERP", "url", "http://127.0.0.1:9999/erp3"));
    }

    @Test
    void aNameSentByManyAtOnceIsTakenByOne() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Double click tenant");
        ExecutorService clicks = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(clicks.submit(() -> admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
                    Http.json(Map.of("name", "Twice clicked", "url", "http://127.0.0.1:9999/twice"))).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : sent) {
                statuses.add(status.get(30, TimeUnit.SECONDS));
            }
            assertThat(statuses).as("one created, the others refused").containsOnlyOnce(201).containsOnly(201, 400);
        } finally {
            clicks.shutdownNow();
        }
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).hasSize(1);
    }

    @Test
    void putReplacesTheSettingsAndFieldsLeftOutReturnToTheirDefaults() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Put tenant");
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("name", "Full");
        full.put("url", "http://127.0.0.1:9999/full");
        full.put("enabled", false);
        full.put("kinds", List.of("workflow_status", "call_completion"));
        full.put("filter", List.of(Map.of("field", "Details[].Status", "in", List.of("finished"))));
        full.put("headers", Map.of("X-Team", "blue"));
        full.put("timeoutMs", 2000);
        full.put("maxAttempts", 3);
        full.put("backoff", Map.of("initialMs", 1000, "multiplier", 2.0, "maxMs", 60_000));
        full.put("rateLimitPerSecond", 5.0);
        full.put("maxInFlight", 2);
        JsonNode created = create(tenant, full);
        long id = created.get("id").asLong();
        assertThat(created.get("enabled").asBoolean()).isFalse();
        assertThat(created.get("kinds")).extracting(JsonNode::asText).containsExactly("call_completion", "workflow_status");
        assertThat(created.get("filter").get(0).get("field").asText()).isEqualTo("Details[].Status");
        assertThat(created.get("filter").get(0).get("in").get(0).asText()).isEqualTo("finished");
        assertThat(created.get("timeoutMs").asInt()).isEqualTo(2000);
        assertThat(created.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(created.get("backoff").get("initialMs").asLong()).isEqualTo(1000);
        assertThat(created.get("backoff").get("multiplier").asDouble()).isEqualTo(2.0);
        assertThat(created.get("backoff").get("maxMs").asLong()).isEqualTo(60_000);
        assertThat(created.get("rateLimitPerSecond").asDouble()).isEqualTo(5.0);
        assertThat(created.get("maxInFlight").asInt()).isEqualTo(2);

        Http.Reply replaced = admin.put("/api/v1/destinations/" + id, Http.json(Map.of("name", "Renamed", "url", "http://127.0.0.1:9999/new")));

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonNode d = admin.get("/api/v1/destinations/" + id).json();
        assertThat(d.get("name").asText()).isEqualTo("Renamed");
        assertThat(d.get("url").asText()).isEqualTo("http://127.0.0.1:9999/new");
        assertThat(d.get("enabled").asBoolean()).isTrue();
        assertThat(d.get("kinds")).isEmpty();
        assertThat(d.has("filter")).isFalse();
        assertThat(d.get("headers")).isEmpty();
        assertThat(d.get("timeoutMs").asInt()).isEqualTo(10_000);
        assertThat(d.get("maxAttempts").asInt()).isEqualTo(12);
        assertThat(d.get("backoff").get("initialMs").asLong()).isEqualTo(5_000);
        assertThat(d.has("rateLimitPerSecond")).isFalse();
        assertThat(d.get("maxInFlight").asInt()).isEqualTo(8);
        assertThat(d.get("signingSecret").asText()).as("a PUT keeps the signing secret").isEqualTo(created.get("signingSecret").asText());
        assertThat(admin.put("/api/v1/destinations/999999", Http.json(Map.of("name", "x", "url", "http://127.0.0.1:1/x"))).status())
            .isEqualTo(404);
    }

    @Test
    void invalidSettingsAreRefusedNamingTheField() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Validation tenant");
        String url = "http://127.0.0.1:9999/hooks";
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("name", Map.of("url", url));
        cases.put("name ", Map.of("name", "   ", "url", url));
        cases.put("url", Map.of("name", "x"));
        cases.put("url ", Map.of("name", "x", "url", "not a url"));
        cases.put("url  ", Map.of("name", "x", "url", "ftp://127.0.0.1/hooks"));
        cases.put("kinds", Map.of("name", "x", "url", url, "kinds", List.of("call_completion", "no_such_kind")));
        cases.put("filter[1].field", Map.of("name", "x", "url", url, "filter", List.of(
            Map.of("field", "Details[].Status", "in", List.of("finished")), Map.of("field", "Details..Intention", "in", List.of("A")))));
        cases.put("filter[0].field", Map.of("name", "x", "url", url, "filter", List.of(Map.of("field", "$.Details[*]", "in", List.of("A")))));
        cases.put("filter[0].in", Map.of("name", "x", "url", url, "filter", List.of(Map.of("field", "Details[].Status", "in", List.of()))));
        cases.put("filter[0].in ", Map.of("name", "x", "url", url, "filter", List.of(Map.of("field", "Details[].Status"))));
        cases.put("filter[0].in  ", Map.of("name", "x", "url", url, "filter", List.of(Map.of("field", "Details[].Status", "in", List.of(Map.of("a", 1))))));
        cases.put("timeoutMs", Map.of("name", "x", "url", url, "timeoutMs", 50));
        cases.put("maxAttempts", Map.of("name", "x", "url", url, "maxAttempts", 0));
        cases.put("maxAttempts ", Map.of("name", "x", "url", url, "maxAttempts", 101));
        cases.put("backoff.initialMs", Map.of("name", "x", "url", url, "backoff", Map.of("initialMs", 10)));
        cases.put("backoff.multiplier", Map.of("name", "x", "url", url, "backoff", Map.of("multiplier", 0.5)));
        cases.put("backoff.maxMs", Map.of("name", "x", "url", url, "backoff", Map.of("initialMs", 1000, "maxMs", 500)));
        cases.put("rateLimitPerSecond", Map.of("name", "x", "url", url, "rateLimitPerSecond", 0));
        cases.put("maxInFlight", Map.of("name", "x", "url", url, "maxInFlight", 0));
        cases.put("headers", Map.of("name", "x", "url", url, "headers", Map.of("webhook-signature", "v1,forged")));
        cases.put("headers ", Map.of("name", "x", "url", url, "headers", Map.of("Bad Header", "x")));
        cases.put("headers  ", Map.of("name", "x", "url", url, "headers", Map.of("X-Split", "a\r\nInjected: yes")));

        long existing = create(tenant, Map.of("name", "Existing", "url", url)).get("id").asLong();
        cases.forEach((field, body) -> {
            Http.Reply created = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(body));
            assertThat(created.status()).as(field.strip() + ": " + created).isEqualTo(400);
            assertThat(created.json().get("error").asText()).isEqualTo("invalid_input");
            assertThat(created.json().get("field").asText()).as(created.toString()).isEqualTo(field.strip());
            Http.Reply replaced = admin.put("/api/v1/destinations/" + existing, Http.json(body));
            assertThat(replaced.status()).as("PUT " + field.strip() + ": " + replaced).isEqualTo(400);
            assertThat(replaced.json().get("field").asText()).as(replaced.toString()).isEqualTo(field.strip());
        });

        Http.Reply typo = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", "{\"name\":\"x\",\"url\":\"" + url + "\",\"maxAttemps\":3}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).hasSize(1);
        assertThat(admin.get("/api/v1/destinations/" + existing).json().get("name").asText()).isEqualTo("Existing");
        assertThat(admin.post("/api/v1/tenants/999999/destinations", Http.json(Map.of("name", "x", "url", url))).status()).isEqualTo(404);
    }

    @Test
    void headerValuesAreMaskedAMaskedValueSentBackKeepsItAndTheReceiverGetsItInClear() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Header tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            JsonNode created = create(tenant, Map.of("name", "With headers", "url", receiver.url(),
                "headers", Map.of("Authorization", "Bearer s3cr3t-t0ken", "X-Team", "blue")));
            long id = created.get("id").asLong();
            assertThat(created.get("headers").get("Authorization").asText()).isEqualTo(MASK);
            assertThat(created.get("headers").get("X-Team").asText()).isEqualTo(MASK);
            Http.Reply read = admin.get("/api/v1/destinations/" + id);
            assertThat(read.body()).doesNotContain("s3cr3t-t0ken").doesNotContain("blue");
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").body()).doesNotContain("s3cr3t-t0ken");

            // a client PUTs back what it read, changing one header's value only
            ObjectNode body = (ObjectNode) read.json().deepCopy();
            for (String readOnly : List.of("id", "tenantId", "signingSecret", "previousSecretValidUntil", "circuit", "createdAt", "updatedAt")) {
                body.remove(readOnly);
            }
            ((ObjectNode) body.get("headers")).put("X-Team", "green");
            Http.Reply replaced = admin.put("/api/v1/destinations/" + id, body.toString());
            assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
            assertThat(replaced.json().get("headers").get("Authorization").asText()).isEqualTo(MASK);
            assertThat(replaced.json().get("headers").get("X-Team").asText()).isEqualTo(MASK);

            assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status()).isEqualTo(200);

            TestReceiver.Received request = receiver.await(r -> !r.isEmpty(), Duration.ofSeconds(15)).get(0);
            assertThat(request.header("Authorization")).isEqualTo("Bearer s3cr3t-t0ken");
            assertThat(request.header("X-Team")).isEqualTo("green");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("X-Hookgate-Event-Kind")).isEqualTo("call_completion");
            assertThat(request.header("webhook-id")).startsWith("msg_");
        }
    }

    @Test
    void aMaskedValueCannotStandInForAHeaderThatHasNoStoredValue() {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Mask tenant");
        String url = "http://127.0.0.1:9999/hooks";
        Http.Reply created = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "x", "url", url, "headers", Map.of("X-Api-Key", MASK))));
        assertThat(created.status()).as(created.toString()).isEqualTo(400);
        assertThat(created.json().get("field").asText()).isEqualTo("headers");

        long id = create(tenant, Map.of("name", "Keyed", "url", url, "headers", Map.of("Authorization", "Bearer abc"))).get("id").asLong();
        // renaming the header while keeping the masked value: there is no stored value for the new name to keep
        Http.Reply renamed = admin.put("/api/v1/destinations/" + id, Http.json(Map.of("name", "Keyed", "url", url,
            "headers", Map.of("X-Api-Key", MASK))));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(400);
        assertThat(renamed.json().get("field").asText()).isEqualTo("headers");

        Http.Reply unsendable = admin.post("/api/v1/tenants/" + tenant.id() + "/destinations",
            Http.json(Map.of("name", "x", "url", url, "headers", Map.of("X-Label", "✓ approved"))));
        assertThat(unsendable.status()).as("an HTTP header value cannot carry this character: " + unsendable).isEqualTo(400);
        assertThat(unsendable.json().get("field").asText()).isEqualTo("headers");
        assertThat(unsendable.json().get("message").asText()).doesNotContain("approved");
        assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).hasSize(1);
        assertThat(admin.get("/api/v1/destinations/" + id).json().get("headers").has("X-Api-Key")).isFalse();
    }

    @Test
    void kindsAndFilterDecideWhichEventsGetADelivery() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Routing tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            String url = receiver.url();
            long all = id(create(tenant, Map.of("name", "all", "url", url)));
            long workflowOnly = id(create(tenant, Map.of("name", "workflow only", "url", url, "kinds", List.of("workflow_status"))));
            long failedOnly = id(create(tenant, Map.of("name", "failed calls", "url", url,
                "filter", List.of(condition("Details[].Status", "failed")))));
            long finishedAE = id(create(tenant, Map.of("name", "finished A or E", "url", url,
                "filter", List.of(condition("Details[].Status", "finished"), condition("Details[].Intention", "A", "E")))));
            long finishedAB = id(create(tenant, Map.of("name", "finished A or B", "url", url,
                "filter", List.of(condition("Details[].Status", "finished"), condition("Details[].Intention", "A", "B")))));
            long completionsOfWorkflow = id(create(tenant, Map.of("name", "completions of one workflow", "url", url,
                "kinds", List.of("call_completion"), "filter", List.of(condition("workflow_id", "16e0660e6cxxxxxxxxxxxxxxxx0abfe0e191")))));
            long disabled = id(create(tenant, Map.of("name", "disabled", "url", url, "enabled", false)));

            // the seed: one call, Status finished, Intention E
            long seed = post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            // one failed call with Intention B
            long failedB = post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> {
                call(p, 0).put("Status", "failed").put("Intention", "B");
            }));
            // two calls: a finished one with Intention X and a failed one with Intention B ([] = any element, per condition)
            long mixed = post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> {
                call(p, 0).put("Intention", "X");
                ObjectNode second = call(p, 0).deepCopy();
                second.put("CallID", UUID.randomUUID().toString()).put("Status", "failed").put("Intention", "B");
                ((ArrayNode) p.get("Details")).add(second);
            }));
            Http.Reply statusChange = airudder.post(tenant.callbackUrl(),
                "{\"workflow_id\":\"wf-" + UUID.randomUUID() + "\",\"workflow_name\":\"n\",\"status\":\"finished\",\"actions\":[]}");
            assertThat(statusChange.status()).isEqualTo(200);
            long workflow = admin.get("/api/v1/tenants/" + tenant.id() + "/events?kind=workflow_status").json().get("items").get(0).get("id").asLong();

            assertThat(destinationsOf(seed)).containsExactlyInAnyOrder(all, finishedAE, completionsOfWorkflow);
            assertThat(destinationsOf(failedB)).containsExactlyInAnyOrder(all, failedOnly, completionsOfWorkflow);
            assertThat(destinationsOf(mixed)).containsExactlyInAnyOrder(all, failedOnly, finishedAB, completionsOfWorkflow);
            assertThat(destinationsOf(workflow)).containsExactlyInAnyOrder(all, workflowOnly);
            assertThat(List.of(seed, failedB, mixed, workflow)).allSatisfy(event ->
                assertThat(destinationsOf(event)).doesNotContain(disabled));

            // and each delivery is made: 3 + 3 + 4 + 2 requests, then no more
            List<TestReceiver.Received> received = receiver.await(r -> r.size() >= 12, Duration.ofSeconds(20));
            Thread.sleep(500);
            assertThat(receiver.received()).hasSize(12);
            assertThat(received).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
            assertThat(receiver.received().stream().filter(r -> "workflow_status".equals(r.header("X-Hookgate-Event-Kind")))).hasSize(2);
            for (long event : List.of(seed, failedB, mixed, workflow)) {
                awaitValue(() -> admin.get("/api/v1/events/" + event).json().get("deliveries"),
                    ds -> allMatch(ds, d -> d.get("status").asText().equals("succeeded")), Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void rotatedSecretSignsWithBothSecretsDuringTheOverlapOnly() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Rotation tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            JsonNode created = create(tenant, Map.of("name", "Signed", "url", receiver.url()));
            long id = id(created);
            String first = created.get("signingSecret").asText();

            post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            TestReceiver.Received one = receiver.await(r -> r.size() >= 1, Duration.ofSeconds(15)).get(0);
            assertThat(signatures(one)).hasSize(1);
            assertThat(verifies(one, signatures(one).get(0), first)).isTrue();

            // no overlap: the old secret stops signing at once
            JsonNode immediate = admin.post("/api/v1/destinations/" + id + "/secret/rotate", "{\"graceHours\": 0}").json();
            String second = immediate.get("signingSecret").asText();
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            TestReceiver.Received two = receiver.await(r -> r.size() >= 2, Duration.ofSeconds(15)).get(1);
            assertThat(signatures(two)).hasSize(1);
            assertThat(verifies(two, signatures(two).get(0), second)).isTrue();

            // a two-hour overlap: both signatures, space-separated, the new secret's and the old one's
            Instant before = Instant.now();
            JsonNode overlapping = admin.post("/api/v1/destinations/" + id + "/secret/rotate", "{\"graceHours\": 2}").json();
            String third = overlapping.get("signingSecret").asText();
            Instant validUntil = Instant.parse(overlapping.get("previousSecretValidUntil").asText());
            assertThat(validUntil).isBetween(before.plus(Duration.ofHours(2)).minusSeconds(5), Instant.now().plus(Duration.ofHours(2)).plusSeconds(5));
            JsonNode shown = admin.get("/api/v1/destinations/" + id).json();
            assertThat(shown.get("signingSecret").asText()).isEqualTo(third);
            // stored with PostgreSQL's microsecond precision
            assertThat(Instant.parse(shown.get("previousSecretValidUntil").asText())).isCloseTo(validUntil, within(1, ChronoUnit.MILLIS));

            post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            TestReceiver.Received three = receiver.await(r -> r.size() >= 3, Duration.ofSeconds(15)).get(2);
            List<String> both = signatures(three);
            assertThat(three.header("webhook-signature")).matches("v1,\\S+ v1,\\S+");
            assertThat(both).hasSize(2);
            assertThat(both.stream().filter(s -> verifies(three, s, third))).hasSize(1);
            assertThat(both.stream().filter(s -> verifies(three, s, second))).hasSize(1);
            assertThat(both.stream().filter(s -> verifies(three, s, first))).isEmpty();

            // without a body the overlap is a day
            JsonNode byDefault = admin.post("/api/v1/destinations/" + id + "/secret/rotate", null).json();
            assertThat(Instant.parse(byDefault.get("previousSecretValidUntil").asText())).isAfter(Instant.now().plus(Duration.ofHours(23)));

            // a leaked secret: a rotation without overlap ends every older secret, not only the one it replaces
            String fifth = admin.post("/api/v1/destinations/" + id + "/secret/rotate", "{\"graceHours\": 0}").json()
                .get("signingSecret").asText();
            post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            TestReceiver.Received four = receiver.await(r -> r.size() >= 4, Duration.ofSeconds(15)).get(3);
            assertThat(signatures(four)).hasSize(1);
            assertThat(verifies(four, signatures(four).get(0), fifth)).isTrue();
            assertThat(admin.post("/api/v1/destinations/" + id + "/secret/rotate", "{\"graceHours\": -1}").json().get("field").asText())
                .isEqualTo("graceHours");
        }
    }

    @Test
    void testSendReportsTheReceiversStatusAndLatency() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Test button tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            JsonNode destination = create(tenant, Map.of("name", "Button", "url", receiver.url(), "headers", Map.of("X-Team", "blue")));
            long id = id(destination);

            receiver.answering(n -> new Answer(200, Map.of(), "{\"ok\":\"received the test\"}", Duration.ofMillis(150)));
            JsonNode ok = admin.post("/api/v1/destinations/" + id + "/test", null).json();
            assertThat(ok.get("succeeded").asBoolean()).isTrue();
            assertThat(ok.get("statusCode").asInt()).isEqualTo(200);
            assertThat(ok.get("latencyMs").asInt()).isBetween(150, 10_000);
            assertThat(ok.get("responseExcerpt").asText()).contains("received the test");
            assertThat(ok.get("errorKind").isNull()).isTrue();
            TestReceiver.Received sent = receiver.received().get(0);
            assertThat(sent.header("webhook-id")).startsWith("msg_test_");
            assertThat(sent.header("X-Team")).isEqualTo("blue");
            assertThat(verifies(sent, signatures(sent).get(0), destination.get("signingSecret").asText())).isTrue();
            assertThat(sent.bodyText()).contains("TaskID");

            receiver.answering(n -> Answer.status(503));
            JsonNode failed = admin.post("/api/v1/destinations/" + id + "/test", null).json();
            assertThat(failed.get("succeeded").asBoolean()).isFalse();
            assertThat(failed.get("statusCode").asInt()).isEqualTo(503);
            assertThat(failed.get("responseExcerpt").asText()).contains("status 503");

            // nothing listens: no status, an error kind instead
            long unreachable = id(create(tenant, Map.of("name", "Nobody home", "url", "http://127.0.0.1:" + freePort() + "/hooks")));
            JsonNode refused = admin.post("/api/v1/destinations/" + unreachable + "/test", null).json();
            assertThat(refused.get("succeeded").asBoolean()).isFalse();
            assertThat(refused.get("statusCode").isNull()).isTrue();
            assertThat(refused.get("errorKind").asText()).isEqualTo("connection_refused");
            assertThat(refused.get("error").asText()).isNotBlank();

            assertThat(admin.get("/api/v1/destinations/" + id + "/deliveries").json().get("items"))
                .as("a test send is not a delivery").isEmpty();
        }
    }

    @Test
    void ssrfGuardRefusesInternalAddressesAndOddUrls() {
        Http guardedAdmin = HookgateTestApp.admin(GUARDED);
        TestTenant tenant = HookgateTestApp.createTenant(GUARDED, "Guarded tenant");
        String path = "/api/v1/tenants/" + tenant.id() + "/destinations";
        List<String> internal = List.of("http://127.0.0.1:9/x", "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data",
            "http://[::1]/x", "http://localhost:8080/x", "http://192.168.1.10/x", "http://172.16.0.1/x", "http://0.0.0.0/x",
            "http://100.100.100.200/latest/meta-data", "http://[fd00:ec2::254]/x", "http://[::ffff:127.0.0.1]/x", "http://2130706433/x");
        for (String url : internal) {
            Http.Reply reply = guardedAdmin.post(path, Http.json(Map.of("name", "internal", "url", url)));
            assertThat(reply.status()).as(url + ": " + reply).isEqualTo(400);
            assertThat(reply.json().get("field").asText()).isEqualTo("url");
        }
        Http.Reply ftp = guardedAdmin.post(path, Http.json(Map.of("name", "ftp", "url", "ftp://93.184.215.14/x")));
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.json().get("field").asText()).isEqualTo("url");
        Http.Reply credentials = guardedAdmin.post(path, Http.json(Map.of("name", "creds", "url", "https://user:pass@93.184.215.14/x")));
        assertThat(credentials.status()).isEqualTo(400);
        assertThat(credentials.json().get("field").asText()).isEqualTo("url");
        assertThat(credentials.json().get("message").asText()).contains("credentials").doesNotContain("pass@");

        // a public address is accepted, and cannot be changed to an internal one afterwards
        Http.Reply publicOne = guardedAdmin.post(path, Http.json(Map.of("name", "public", "url", "https://93.184.215.14/hooks")));
        assertThat(publicOne.status()).as(publicOne.toString()).isEqualTo(201);
        Http.Reply moved = guardedAdmin.put("/api/v1/destinations/" + id(publicOne.json()),
            Http.json(Map.of("name", "public", "url", "http://169.254.169.254/latest/meta-data")));
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.json().get("field").asText()).isEqualTo("url");
        assertThat(guardedAdmin.get(path).json()).hasSize(1);
        assertThat(guardedAdmin.get(path).json().get(0).get("url").asText()).isEqualTo("https://93.184.215.14/hooks");
    }

    @Test
    void tenantAdminManagesItsOwnDestinationsAndFindsNoneOfAnotherTenant() {
        JsonNode own = created(adminOfA.post("/api/v1/tenants/" + a.id() + "/destinations",
            Http.json(Map.of("name", "A's CRM", "url", "http://127.0.0.1:9999/a"))));
        assertThat(own.get("signingSecret").asText()).startsWith("whsec_");
        assertThat(adminOfA.get("/api/v1/destinations/" + id(own)).json().get("signingSecret").asText()).isEqualTo(own.get("signingSecret").asText());
        assertThat(adminOfA.put("/api/v1/destinations/" + id(own), Http.json(Map.of("name", "A's CRM v2", "url", "http://127.0.0.1:9999/a"))).status())
            .isEqualTo(200);
        assertThat(adminOfA.post("/api/v1/destinations/" + id(own) + "/secret/rotate", "{}").status()).isEqualTo(200);

        long ofB = id(create(b, Map.of("name", "B's CRM", "url", "http://127.0.0.1:9999/b", "headers", Map.of("Authorization", "Bearer b"))));
        String path = "/api/v1/destinations/" + ofB;
        List<Http.Reply> replies = List.of(adminOfA.get(path), adminOfA.put(path, Http.json(Map.of("name", "hijacked", "url", "http://127.0.0.1:1/x"))),
            adminOfA.delete(path), adminOfA.post(path + "/secret/rotate", "{}"), adminOfA.post(path + "/test", null),
            adminOfA.get(path + "/deliveries"), adminOfA.get("/api/v1/tenants/" + b.id() + "/destinations"),
            adminOfA.post("/api/v1/tenants/" + b.id() + "/destinations", Http.json(Map.of("name", "planted", "url", "http://127.0.0.1:1/x"))));
        for (Http.Reply reply : replies) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
            assertThat(reply.body()).doesNotContain("whsec_");
        }
        for (Http.Reply reply : replies.subList(0, 6)) {
            assertThat(reply.json().get("message").asText()).as("answered as if it did not exist: its tenant is not named")
                .isEqualTo("destination " + ofB + " not found");
        }
        JsonNode untouched = admin.get(path).json();
        assertThat(untouched.get("name").asText()).isEqualTo("B's CRM");
        assertThat(untouched.has("previousSecretValidUntil")).isFalse();
        assertThat(admin.get("/api/v1/tenants/" + b.id() + "/destinations").json()).extracting(d -> d.get("name").asText())
            .doesNotContain("planted");
    }

    @Test
    void supportReadsDestinationsWithoutSecretsButChangesNothing() {
        JsonNode destination = create(b, Map.of("name", "Support-visible", "url", "http://127.0.0.1:9999/s",
            "headers", Map.of("Authorization", "Bearer support-must-not-see")));
        String path = "/api/v1/destinations/" + id(destination);

        Http.Reply read = support.get(path);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("signingSecret")).isFalse();
        assertThat(read.json().get("headers").get("Authorization").asText()).isEqualTo(MASK);
        assertThat(read.body()).doesNotContain("whsec_").doesNotContain("support-must-not-see");
        Http.Reply list = support.get("/api/v1/tenants/" + b.id() + "/destinations");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).extracting(d -> d.get("name").asText()).contains("Support-visible");
        assertThat(list.body()).doesNotContain("whsec_").doesNotContain("support-must-not-see");
        assertThat(support.get(path + "/deliveries").status()).isEqualTo(200);

        List<Http.Reply> refused = List.of(support.put(path, Http.json(Map.of("name", "changed", "url", "http://127.0.0.1:1/x"))),
            support.delete(path), support.post(path + "/secret/rotate", "{}"), support.post(path + "/test", null),
            support.post("/api/v1/tenants/" + b.id() + "/destinations", Http.json(Map.of("name", "new", "url", "http://127.0.0.1:1/x"))));
        for (Http.Reply reply : refused) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertThat(reply.body()).doesNotContain("whsec_");
        }
        JsonNode after = admin.get(path).json();
        assertThat(after.get("name").asText()).isEqualTo("Support-visible");
        assertThat(after.get("signingSecret").asText()).isEqualTo(destination.get("signingSecret").asText());
    }

    @Test
    void aDestinationsDeliveriesArePagedNewestFirstAndAFullLastPageOffersNoNextOne() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paged deliveries tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            long id = id(create(tenant, Map.of("name", "Paged", "url", receiver.url())));
            List<Long> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                events.add(post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { })));
            }
            receiver.await(r -> r.size() == 3, Duration.ofSeconds(10));
            String path = "/api/v1/destinations/" + id + "/deliveries";

            JsonNode first = admin.get(path + "?limit=2").json();
            assertThat(first.get("items")).extracting(d -> d.get("eventId").asLong()).containsExactly(events.get(2), events.get(1));
            JsonNode second = admin.get(path + "?limit=2&cursor=" + first.get("nextCursor").asText()).json();
            assertThat(second.get("items")).extracting(d -> d.get("eventId").asLong()).containsExactly(events.get(0));
            assertThat(second.get("nextCursor").isNull()).isTrue();
            assertThat(admin.get(path + "?limit=3").json().get("nextCursor").isNull()).as("all of them on one full page").isTrue();

            Browserless ui = Browserless.signIn(HookgateTestApp.baseUrl(APP),
                HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
            assertThat(ui.get("/destinations/" + id).body()).as("one page: no pager").doesNotContain("Older deliveries")
                .doesNotContain("Newest deliveries");
            String older = ui.get("/destinations/" + id + "?cursor=" + first.get("nextCursor").asText()).body();
            assertThat(older).contains("href=\"/events/" + events.get(0) + "\"").doesNotContain("href=\"/events/" + events.get(2) + "\"")
                .contains("Newest deliveries");
        }
    }

    @Test
    void deletingADestinationCancelsItsPendingDeliveries() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Delete tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            receiver.answering(n -> Answer.status(500));
            long id = id(create(tenant, Map.of("name", "Failing", "url", receiver.url(), "maxAttempts", 5,
                "backoff", Map.of("initialMs", 60_000, "maxMs", 60_000))));
            long event = post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));

            // the first attempt fails; the next is a minute away
            JsonNode waiting = awaitValue(() -> admin.get("/api/v1/destinations/" + id + "/deliveries?status=pending").json(),
                page -> page.get("items").size() == 1 && page.get("items").get(0).get("attemptCount").asInt() == 1
                    && !page.get("items").get(0).get("inFlight").asBoolean(), Duration.ofSeconds(15));
            JsonNode delivery = waiting.get("items").get(0);
            assertThat(waiting.get("circuit").asText()).isEqualTo("closed");
            assertThat(waiting.get("nextCursor").isNull()).isTrue();
            assertThat(delivery.get("eventId").asLong()).isEqualTo(event);
            assertThat(delivery.get("lastStatusCode").asInt()).isEqualTo(500);
            assertThat(delivery.get("attempts")).hasSize(1);
            assertThat(delivery.get("attempts").get(0).get("statusCode").asInt()).isEqualTo(500);
            assertThat(Instant.parse(delivery.get("nextAttemptAt").asText())).isAfter(Instant.now().plusSeconds(30));
            assertThat(admin.get("/api/v1/destinations/" + id + "/deliveries?status=succeeded").json().get("items")).isEmpty();
            assertThat(admin.get("/api/v1/destinations/" + id + "/deliveries?status=nonsense").json().get("field").asText()).isEqualTo("status");

            assertThat(admin.delete("/api/v1/destinations/" + id).status()).isEqualTo(204);

            assertThat(admin.get("/api/v1/destinations/" + id).status()).isEqualTo(404);
            assertThat(admin.delete("/api/v1/destinations/" + id).status()).isEqualTo(404);
            assertThat(admin.get("/api/v1/tenants/" + tenant.id() + "/destinations").json()).isEmpty();
            JsonNode kept = admin.get("/api/v1/events/" + event).json().get("deliveries");
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).get("id").asLong()).isEqualTo(delivery.get("id").asLong());
            assertThat(kept.get(0).get("status").asText()).isEqualTo("cancelled");
            assertThat(kept.get(0).get("attempts")).as("its history stays").hasSize(1);
            assertThat(receiver.received()).hasSize(1);

            // later events of the tenant no longer go to it
            long later = post(tenant, AirudderPayloads.signedUnique(tenant.key(), p -> { }));
            assertThat(admin.get("/api/v1/events/" + later).json().get("deliveries")).isEmpty();
        }
    }

    // --- helpers ---

    static void createUser(String email, String role, Long tenantId) {
        HookgateTestApp.createUser(APP, email, PASSWORD, role, tenantId);
    }

    static JsonNode create(TestTenant tenant, Map<String, Object> body) {
        return created(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(body)));
    }

    static JsonNode created(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    static long id(JsonNode destination) {
        return destination.get("id").asLong();
    }

    static Map<String, Object> condition(String field, String... in) {
        return Map.of("field", field, "in", List.of(in));
    }

    static ObjectNode call(ObjectNode payload, int index) {
        return (ObjectNode) payload.get("Details").get(index);
    }

    /** Posts a notification as AIRUDDER would and returns the stored event's id. */
    static long post(TestTenant tenant, byte[] body) {
        String taskId = taskIdOf(body);
        Http.Reply reply = airudder.postBytes(tenant.callbackUrl(), body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode items = admin.get("/api/v1/tenants/" + tenant.id() + "/events?taskId=" + taskId).json().get("items");
        assertThat(items).hasSize(1);
        return items.get(0).get("id").asLong();
    }

    static String taskIdOf(byte[] body) {
        try {
            return new ObjectMapper().readTree(body).get("TaskID").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Set<Long> destinationsOf(long eventId) {
        Set<Long> ids = new HashSet<>();
        admin.get("/api/v1/events/" + eventId).json().get("deliveries").forEach(d -> ids.add(d.get("destinationId").asLong()));
        return ids;
    }

    static boolean allMatch(JsonNode array, Predicate<JsonNode> condition) {
        for (JsonNode item : array) {
            if (!condition.test(item)) {
                return false;
            }
        }
        return true;
    }

    static <T> T awaitValue(Supplier<T> read, Predicate<T> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        T value = read.get();
        while (!condition.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not reached within " + timeout + ": " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }

    static List<String> signatures(TestReceiver.Received request) {
        List<String> out = new ArrayList<>();
        for (String part : request.header("webhook-signature").split(" ")) {
            assertThat(part).startsWith("v1,");
            out.add(part.substring(3));
        }
        return out;
    }

    /** Standard Webhooks, computed here independently: base64(HMAC-SHA256(base64-decoded secret, id.timestamp.body)). */
    static boolean verifies(TestReceiver.Received request, String signature, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(request.body())).equals(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
