package io.hookgate.delivery;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination switched off and on again: its backlog waits out of the due index (no claim or health figure reads
 * through it), and goes out at once when it is enabled, whatever its circuit held back before.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DisabledDestinationIT {

    static final String DATABASE = TestDatabase.fresh();
    static final DropwizardAppExtension<HookgateConfiguration> APP = HookgateTestApp.extension(HookgateTestApp.settings(DATABASE));
    private static final int BACKLOG = 300;

    private final Http admin = HookgateTestApp.admin(APP);
    private final Http adminPort = Http.anonymous("http://localhost:" + APP.getAdminPort());
    private final Http airudder = Http.anonymous(HookgateTestApp.baseUrl(APP));

    @Test
    void aDisabledDestinationsBacklogWaitsOutOfTheWorkersWayAndGoesOutOnceEnabled() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paused receiver tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, Object> settings = Map.of("name", "Receiver", "url", receiver.url());
            long id = createDestination(tenant, settings);

            assertThat(adminPort.post("/tasks/delivery-pause", "").status()).isEqualTo(200); // the backlog piles up
            sendSigned(tenant, BACKLOG);
            putEnabled(id, false);
            long eventId = admin.get("/api/v1/tenants/" + tenant.id() + "/events?limit=1").json().get("items").get(0).get("id").asLong();
            assertThat(admin.post("/api/v1/events/" + eventId + "/redeliver", Http.json(Map.of("destinationId", id))).status())
                .as("a redelivery to the disabled destination, which waits with the backlog").isEqualTo(202);
            try (Connection db = DriverManager.getConnection(DATABASE)) {
                // a backlog from an hour ago, as when a receiver was down and its destination disabled
                db.createStatement().execute("update deliveries set next_attempt_at = next_attempt_at - interval '1 hour' "
                    + "where destination_id = " + id);
                assertThat(adminPort.post("/tasks/delivery-resume", "").status()).isEqualTo(200);
                Thread.sleep(1000); // the first claims after resuming, one of them a sweep from the start
                // The entries the backlog had in the due index before it was paused are dead, and read by the scans that
                // come across them: gone once vacuumed, as in a steady state (index cleanup forced: vacuum may skip the
                // indexes when few pages hold dead rows). A backend reports its reads up to seconds later, so the
                // window starts once the count has stood still for 3 s; with the backlog in the index it never does.
                db.createStatement().execute("vacuum (index_cleanup on) deliveries");
                awaitStill(db, Duration.ofSeconds(3), Duration.ofSeconds(15));

                // Every 200 ms (the tests' poll interval) the idle worker claims, every 5 s one of its claims is a sweep from
                // the start of the due index, and every 5 s the health figures read the oldest overdue delivery from there:
                // with the backlog in the index (as it was), a sweep or health read alone would read all of it.
                long before = dueIndexTuplesRead(db);
                Thread.sleep(12_000);
                long read = dueIndexTuplesRead(db) - before;
                assertThat(read).as("entries of the due index read in 12 s, with %d deliveries of a disabled destination pending",
                    BACKLOG + 1).isLessThan(BACKLOG);
            }
            assertThat(receiver.received()).as("nothing goes to a disabled destination").isEmpty();
            JsonNode held = admin.get("/api/v1/destinations/" + id + "/deliveries?status=pending&limit=500").json().get("items");
            assertThat(held).hasSize(BACKLOG + 1).allMatch(d -> d.get("paused").asBoolean());
            JsonNode overview = admin.get("/api/v1/overview?tenantId=" + tenant.id()).json();
            assertThat(overview.get("backlog").asLong()).as("the dashboard's backlog counts what waits").isEqualTo(BACKLOG + 1);
            assertThat(overview.get("backlogPaused").asLong()).as("all of it for the disabled destination").isEqualTo(BACKLOG + 1);
            assertThat(Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD)
                .get("/?tenant=" + tenant.id()).body()).contains((BACKLOG + 1) + " paused: destination disabled");
            assertThat(overview.get("oldestPendingSeconds").asLong()).as("the oldest of it").isGreaterThanOrEqualTo(12);

            Instant enabled = Instant.now().minusSeconds(1);
            putEnabled(id, true);
            JsonNode waiting = admin.get("/api/v1/destinations/" + id + "/deliveries?status=pending&limit=500").json().get("items");
            assertThat(waiting).noneMatch(d -> d.get("paused").asBoolean());
            for (JsonNode delivery : waiting) {
                // due now, where the next claim finds them, not an hour ago, behind where claims start (until a sweep)
                assertThat(Instant.parse(delivery.get("nextAttemptAt").asText())).as("a resumed delivery's next attempt").isAfter(enabled);
            }
            assertThat(receiver.await(r -> r.size() >= BACKLOG + 1, Duration.ofSeconds(30)))
                .as("the whole backlog and the redelivery, once the destination is enabled again").hasSize(BACKLOG + 1);
        }
    }

    @Test
    void itsPageSwitchesADestinationOffAndOnInOneClickEvenOnceItsHostNoLongerResolves() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "One click tenant");
        long id = createDestination(tenant, Map.of("name", "Gone CRM", "url", "http://127.0.0.1:9/crm"));
        try (Connection db = DriverManager.getConnection(DATABASE)) {
            // a host that resolved when it was saved, and no longer does: the settings form refuses it now
            db.createStatement().execute("update destinations set url = 'http://crm.no-such-host.invalid/hook' where id = " + id);
        }
        JsonNode current = admin.get("/api/v1/destinations/" + id).json();
        assertThat(admin.put("/api/v1/destinations/" + id, Http.json(Map.of("name", "Gone CRM", "url", current.get("url").asText(),
            "enabled", false))).status()).isEqualTo(400);

        Browserless browser = Browserless.signIn(HookgateTestApp.baseUrl(APP), HookgateTestApp.ADMIN_EMAIL, HookgateTestApp.ADMIN_PASSWORD);
        assertThat(browser.get("/destinations/" + id).body()).contains("Disable destination").doesNotContain("Enable destination");
        Browserless.Page disabled = browser.follow(browser.postForm("/destinations/" + id + "/enabled", Map.of("enabled", "false")));
        assertThat(disabled.body()).contains("Destination disabled").contains("Enable destination").contains(">disabled<");
        assertThat(admin.get("/api/v1/destinations/" + id).json().get("enabled").asBoolean()).isFalse();
        sendSigned(tenant, 1);
        assertThat(admin.get("/api/v1/destinations/" + id + "/deliveries").json().get("items")).as("none while disabled").isEmpty();

        Browserless.Page enabled = browser.follow(browser.postForm("/destinations/" + id + "/enabled", Map.of("enabled", "true")));
        assertThat(enabled.body()).contains("Destination enabled").contains("Disable destination");
        JsonNode after = admin.get("/api/v1/destinations/" + id).json();
        assertThat(after.get("enabled").asBoolean()).isTrue();
        assertThat(after.get("name").asText()).isEqualTo("Gone CRM");
        assertThat(after.get("url").asText()).as("nothing else changed").isEqualTo("http://crm.no-such-host.invalid/hook");
        assertThat(browser.postForm("/destinations/" + id + "/enabled", Map.of("enabled", "maybe")).status()).isEqualTo(400);
        JsonNode audit = admin.get("/api/v1/audit?action=destination.update&limit=500").json().get("items");
        assertThat(audit).filteredOn(entry -> entry.get("target").asText().equals("destination " + id))
            .as("each switch in the audit log").hasSize(2);
    }

    @Test
    void enablingADestinationAgainSendsWhatItsOpenCircuitHeldBackAtOnce() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Circuit held tenant");
        try (TestReceiver receiver = TestReceiver.start().answering(n -> Answer.status(500))) {
            Map<String, Object> settings = Map.of("name", "Receiver", "url", receiver.url(),
                "backoff", Map.of("initialMs", 100, "multiplier", 1.0, "maxMs", 100));
            long id = createDestination(tenant, settings);
            sendSigned(tenant, 6);
            // config.yml's circuit: open for 30 s after failures, its deliveries put off to the trial
            DestinationApiIT.awaitValue(() -> admin.get("/api/v1/destinations/" + id).json(),
                d -> d.get("circuit").asText().equals("open"), Duration.ofSeconds(15));
            // the receiver is mended: what arrives from now on is answered 200; its admin switches the destination off and on
            Instant mended = Instant.now();
            receiver.answering(n -> Answer.ok());
            putEnabled(id, false);
            putEnabled(id, true);
            Instant enabled = Instant.now();

            // a delivery the worker had claimed as the destination was switched off may go out then (its circuit was
            // reset); the others once it is enabled, not at the old circuit's trial 30 s on
            List<TestReceiver.Received> got = receiver.await(r -> sentSince(r, mended).size() >= 6, Duration.ofSeconds(20));
            assertThat(sentSince(got, mended)).as("each of the six events, answered 200").hasSize(6);
            assertThat(Duration.between(enabled, Instant.now())).as("sent once enabled, not at the old circuit's trial 30 s on")
                .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRedeliveryCommittedAsItsDestinationIsEnabledAgainIsSentNotLeftWaiting() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Enable race tenant");
        try (TestReceiver receiver = TestReceiver.start().answering(n -> Answer.status(500))) {
            Map<String, Object> settings = Map.of("name", "Receiver", "url", receiver.url(), "maxAttempts", 1);
            long id = createDestination(tenant, settings);
            sendSigned(tenant, 1);
            JsonNode letter = DestinationApiIT.awaitValue(() -> admin.get("/api/v1/dead-letters?destinationId=" + id).json().get("items"),
                items -> items.size() == 1, Duration.ofSeconds(15)).get(0);
            putEnabled(id, false);
            receiver.answering(n -> Answer.ok());

            ExecutorService requests = Executors.newFixedThreadPool(2);
            try (Connection blocker = DriverManager.getConnection(DATABASE)) {
                // The redelivery's transaction writes its delivery, then settles the event's dead letter, which this
                // transaction holds: so it is still open, its delivery written as the destination read then, when the enable runs.
                blocker.setAutoCommit(false);
                blocker.createStatement().execute("select 1 from dead_letters where id = " + letter.get("id").asLong() + " for update");
                Future<Integer> redelivery = requests.submit(() -> admin.post("/api/v1/events/" + letter.get("eventId").asLong()
                    + "/redeliver", Http.json(Map.of("destinationId", id))).status());
                awaitLockWaits(blocker, 1);
                Future<?> enable = requests.submit(() -> putEnabled(id, true));
                Thread.sleep(1000); // the enable commits now, or waits for the redelivery to end
                blocker.commit();
                assertThat(redelivery.get(15, TimeUnit.SECONDS)).isEqualTo(202);
                enable.get(15, TimeUnit.SECONDS);
            } finally {
                requests.shutdownNow();
            }
            assertThat(receiver.await(r -> r.size() >= 2, Duration.ofSeconds(15)))
                .as("the failed attempt, then the redelivery, sent once the destination is enabled").hasSize(2);
        }
    }

    private long createDestination(TestTenant tenant, Map<String, Object> settings) {
        return DestinationApiIT.created(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(settings)))
            .get("id").asLong();
    }

    private void putEnabled(long id, boolean enabled) {
        assertThat(HookgateTestApp.setDestinationEnabled(admin, id, enabled).status()).isEqualTo(200);
    }

    /** {@code count} distinct call completions, signed, each answered 200. */
    private void sendSigned(TestTenant tenant, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(airudder.postBytes(tenant.callbackUrl(), AirudderPayloads.signedUnique(tenant.key(), p -> { })).status())
                .isEqualTo(200);
        }
    }

    /** The distinct webhook-ids received at or after {@code since}. */
    private static Set<String> sentSince(List<TestReceiver.Received> received, Instant since) {
        return received.stream().filter(r -> !r.at().isBefore(since)).map(r -> r.header("webhook-id")).collect(Collectors.toSet());
    }

    /** Waits until {@code count} other sessions wait for a lock. */
    private static void awaitLockWaits(Connection db, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            try (ResultSet rs = db.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' "
                    + "and pid <> pg_backend_pid()")) {
                rs.next();
                if (rs.getInt(1) >= count) {
                    return;
                }
            }
            assertThat(Instant.now()).as("sessions waiting for a lock").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** Until the due index's read count has not moved for {@code still}, or {@code atMost} has passed. */
    private static void awaitStill(Connection db, Duration still, Duration atMost) throws Exception {
        Instant deadline = Instant.now().plus(atMost);
        long last = dueIndexTuplesRead(db);
        Instant since = Instant.now();
        while (Instant.now().isBefore(deadline) && Duration.between(since, Instant.now()).compareTo(still) < 0) {
            Thread.sleep(250);
            long now = dueIndexTuplesRead(db);
            if (now != last) {
                last = now;
                since = Instant.now();
            }
        }
    }

    private static long dueIndexTuplesRead(Connection db) throws SQLException {
        db.createStatement().execute("select pg_stat_clear_snapshot()");
        try (ResultSet rs = db.createStatement().executeQuery(
            "select idx_tup_read from pg_stat_user_indexes where indexrelname = 'deliveries_due_unpaused'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
