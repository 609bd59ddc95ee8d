package io.hookgate.delivery;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookgate.HookgateConfiguration;
import io.hookgate.testing.AirudderPayloads;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination switched off and on again: its backlog waits where it is (an idle worker does not read through it
 * every second), and goes out at once when it is enabled, whatever its circuit held back before.
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
    void claimsLeaveADisabledDestinationsBacklogToTheSweepsAndDeliverItOnceEnabled() throws Exception {
        TestTenant tenant = HookgateTestApp.createTenant(APP, "Paused receiver tenant");
        try (TestReceiver receiver = TestReceiver.start()) {
            Map<String, Object> settings = Map.of("name", "Receiver", "url", receiver.url());
            long id = createDestination(tenant, settings);

            assertThat(adminPort.post("/tasks/delivery-pause", "").status()).isEqualTo(200); // the backlog piles up
            sendSigned(tenant, BACKLOG);
            putEnabled(id, settings, false);
            try (Connection db = DriverManager.getConnection(DATABASE)) {
                // a backlog from an hour ago, as when a receiver was down and its destination disabled
                db.createStatement().execute("update deliveries set next_attempt_at = next_attempt_at - interval '1 hour' "
                    + "where destination_id = " + id);
                assertThat(adminPort.post("/tasks/delivery-resume", "").status()).isEqualTo(200);
                Thread.sleep(1000); // the first claims after resuming, one of them a sweep from the start

                // Every 200 ms (the tests' poll interval) the idle worker claims: about 60 claims in 12 s, each reading the
                // whole backlog if it started from the oldest due delivery. Sweeps from the start come every 5 s, and the
                // health figures read the oldest overdue one as often: some 5 reads of the backlog, 16 at most with what
                // the statistics report late (a connection's index counters reach them up to 10 s after its work).
                long before = dueIndexTuplesRead(db);
                Thread.sleep(12_000);
                long read = dueIndexTuplesRead(db) - before;
                assertThat(read).as("entries of the due index read in 12 s, with %d deliveries of a disabled destination in it", BACKLOG)
                    .isLessThan(16L * BACKLOG);
            }
            assertThat(receiver.received()).as("nothing goes to a disabled destination").isEmpty();

            putEnabled(id, settings, true);
            assertThat(receiver.await(r -> r.size() >= BACKLOG, Duration.ofSeconds(30)))
                .as("the whole backlog, taken by a sweep once the destination is enabled again").hasSize(BACKLOG);
        }
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
            receiver.answering(n -> Answer.ok()); // the receiver is mended; its admin switches the destination off and on

            putEnabled(id, settings, false);
            putEnabled(id, settings, true);
            Instant enabled = Instant.now();

            // what arrives from now on is answered 200
            List<TestReceiver.Received> got = receiver.await(r -> sentSince(r, enabled).size() >= 6, Duration.ofSeconds(20));
            assertThat(sentSince(got, enabled)).as("each of the six events, once the destination is enabled").hasSize(6);
            assertThat(Duration.between(enabled, Instant.now())).as("sent once enabled, not at the old circuit's trial 30 s on")
                .isLessThan(Duration.ofSeconds(10));
        }
    }

    private long createDestination(TestTenant tenant, Map<String, Object> settings) {
        return DestinationApiIT.created(admin.post("/api/v1/tenants/" + tenant.id() + "/destinations", Http.json(settings)))
            .get("id").asLong();
    }

    /** Switches the destination off or on, its other settings as created. */
    private void putEnabled(long id, Map<String, Object> settings, boolean enabled) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("enabled", enabled);
        assertThat(admin.put("/api/v1/destinations/" + id, Http.json(body)).status()).isEqualTo(200);
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

    private static long dueIndexTuplesRead(Connection db) throws SQLException {
        db.createStatement().execute("select pg_stat_clear_snapshot()");
        try (ResultSet rs = db.createStatement().executeQuery(
            "select idx_tup_read from pg_stat_user_indexes where indexrelname = 'deliveries_due'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
