package io.hookgate.event;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.store.StoreUnavailableException;
import io.hookgate.support.Digests;
import io.hookgate.tenant.TenantId;
import io.hookgate.testing.AirudderPayloads;
import io.hookgate.testing.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** What storing an event leaves in the outbox, with and without a lease from the delivery worker. */
class EventStoreIT {

    private static Jdbi jdbi;
    private static long tenant;
    private static long crm;
    private static long warehouse;

    /** Stands in for the delivery worker: lends the given lease and keeps what each commit hands over. */
    private static final class RecordingHandoff implements DeliveryHandoff {
        Optional<Lease> lease = Optional.empty();
        final List<HeldDelivery> handedOver = new ArrayList<>();
        final List<Boolean> dueFlags = new ArrayList<>();

        @Override
        public Optional<Lease> offer() {
            return lease;
        }

        @Override
        public synchronized void committed(List<HeldDelivery> held, boolean due) {
            handedOver.addAll(held);
            dueFlags.add(due);
        }
    }

    private final RecordingHandoff handoff = new RecordingHandoff();

    @BeforeAll
    static void schema() throws Exception {
        jdbi = Jdbi.create(TestDatabase.migrated());
        tenant = jdbi.withHandle(h -> h.createQuery("insert into tenants (name, status, callback_token, accept_unsigned, created_at, "
            + "updated_at) values ('Acme', 'active', 'token-1', true, now(), now()) returning id").mapTo(Long.class).one());
        crm = destination("CRM");
        warehouse = destination("Warehouse");
    }

    private static long destination(String name) {
        return jdbi.withHandle(h -> h.createQuery("insert into destinations (tenant_id, name, url, enabled, kinds, timeout_ms, "
                + "max_attempts, backoff_initial_ms, backoff_multiplier, backoff_max_ms, max_in_flight, created_at, updated_at) "
                + "values (:tenant, :name, 'https://example.com/hook', true, '{}', 10000, 12, 5000, 3.0, 21600000, 8, now(), now()) "
                + "returning id")
            .bind("tenant", tenant).bind("name", name).mapTo(Long.class).one());
    }

    @Test
    void withoutALeaseDeliveriesAreWrittenDueAndTheWorkerIsWokenToClaimThem() throws Exception {
        EventId id = store(event("without-lease")).orElseThrow();

        assertThat(deliveriesOf(id)).extracting(Row::leased, Row::dueAtReceipt).containsOnly(tuple(false, true));
        assertThat(handoff.handedOver).isEmpty();
        assertThat(handoff.dueFlags).containsExactly(true);
    }

    @Test
    void underALeaseDeliveriesAreWrittenHeldUntilItEndsAndHandedOverWithWhatSendingNeeds() throws Exception {
        UUID token = UUID.randomUUID();
        Instant until = Instant.now().plus(Duration.ofSeconds(90)).truncatedTo(ChronoUnit.MICROS);
        handoff.lease = Optional.of(new DeliveryHandoff.Lease(token, until, new long[0]));
        NewEvent event = event("with-lease");

        EventId id = store(event).orElseThrow();

        List<Row> rows = deliveriesOf(id);
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.token()).isEqualTo(token);
            assertThat(row.nextAttemptAt()).isEqualTo(until); // due again when the lease ends, as after a claim
        });
        assertThat(handoff.handedOver).extracting(DeliveryHandoff.HeldDelivery::destinationId).containsExactlyInAnyOrder(crm, warehouse);
        assertThat(handoff.handedOver).allSatisfy(held -> {
            assertThat(held.eventId()).isEqualTo(id);
            assertThat(held.leaseToken()).isEqualTo(token);
            // from the body, not from ids a rebuilt database would hand out again: a receiver deduplicating on it never drops a new event
            assertThat(held.webhookId()).isEqualTo("msg_" + Digests.hex(event.bodySha256()).substring(0, 24) + "_" + held.destinationId());
            assertThat(held.body()).isEqualTo(event.body());
            assertThat(rows).extracting(Row::id).contains(held.deliveryId());
        });
        assertThat(handoff.dueFlags).containsExactly(false);
    }

    @Test
    void aDestinationTheLeaseLeavesOutGetsItsDeliveryDueForAClaim() throws Exception {
        UUID token = UUID.randomUUID();
        handoff.lease = Optional.of(new DeliveryHandoff.Lease(token, Instant.now().plusSeconds(90), new long[] {warehouse}));

        EventId id = store(event("warehouse-full")).orElseThrow();

        assertThat(deliveriesOf(id)).extracting(Row::destinationId, Row::leased)
            .containsExactlyInAnyOrder(tuple(crm, true), tuple(warehouse, false));
        assertThat(handoff.handedOver).extracting(DeliveryHandoff.HeldDelivery::destinationId).containsExactly(crm);
        assertThat(handoff.dueFlags).containsExactly(true);
    }

    @Test
    void aRepeatedNotificationCreatesNoDeliveryAndHandsNothingOver() throws Exception {
        handoff.lease = Optional.of(new DeliveryHandoff.Lease(UUID.randomUUID(), Instant.now().plusSeconds(90), new long[0]));
        NewEvent event = event("repeated");
        assertThat(store(event)).isPresent();
        handoff.handedOver.clear();
        handoff.dueFlags.clear();

        assertThat(store(event)).isEmpty();

        assertThat(handoff.handedOver).isEmpty();
        assertThat(handoff.dueFlags).isEmpty();
    }

    @Test
    void aNotificationIsStoredAfterTheDatabaseDroppedTheCommittersConnection() throws Exception {
        EventStore store = newStore();
        store.start();
        try {
            assertThat(store.store(event("before-drop")).get(10, TimeUnit.SECONDS)).isPresent();
            // what a database restart or a proxy's idle timeout does to the connection the committer keeps
            int dropped = jdbi.withHandle(h -> h.createQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                + "where datname = current_database() and pid <> pg_backend_pid()").mapTo(Integer.class).one());
            assertThat(dropped).isPositive();

            Optional<EventId> stored = store.store(event("after-drop")).get(10, TimeUnit.SECONDS);

            assertThat(stored).isPresent();
            String taskId = jdbi.withHandle(h -> h.createQuery("select task_id from events where id = :id")
                .bind("id", stored.get().value()).mapTo(String.class).one());
            assertThat(taskId).isEqualTo("after-drop");
        } finally {
            store.stop();
        }
    }

    @Test
    void notificationsArrivingWhileAnotherBatchIsWrittenAreWrittenTogether() throws Exception {
        // a window far longer than the test: only the batch filling up ends the wait
        Map<String, String> transactionOf = storeWhileABatchIsHeld(newStore(2, 256, 3, Duration.ofSeconds(60)), "gather");

        assertThat(transactionOf.get("gather-2")).isEqualTo(transactionOf.get("gather-3")).isEqualTo(transactionOf.get("gather-4"))
            .isNotEqualTo(transactionOf.get("gather-1"));
    }

    @Test
    void aGatheredBatchStaysWithinMaxBatch() throws Exception {
        // the window bounds the wait of the notification left over
        Map<String, String> transactionOf = storeWhileABatchIsHeld(newStore(2, 2, 3, Duration.ofSeconds(1)), "bounded");

        assertThat(transactionOf.get("bounded-2")).isEqualTo(transactionOf.get("bounded-3"))
            .isNotEqualTo(transactionOf.get("bounded-4")).isNotEqualTo(transactionOf.get("bounded-1"));
    }

    /**
     * Stores {@code prefix-1}, holds its batch being written, then stores {@code prefix-2} to {@code -4}; returns the
     * transaction each was written in.
     */
    private Map<String, String> storeWhileABatchIsHeld(EventStore store, String prefix) throws Exception {
        store.start();
        try (Handle blocker = jdbi.open()) {
            blocker.begin();
            blocker.execute("lock table events in share mode"); // holds every insert: the first batch stays being written
            CompletableFuture<Optional<EventId>> first = store.store(event(prefix + "-1"));
            awaitWritersBlocked(1);

            List<CompletableFuture<Optional<EventId>>> company = List.of(store.store(event(prefix + "-2")),
                store.store(event(prefix + "-3")), store.store(event(prefix + "-4")));
            awaitWritersBlocked(2);
            blocker.commit();

            assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
            for (CompletableFuture<Optional<EventId>> f : company) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isPresent();
            }
            return jdbi.withHandle(h -> h.createQuery("select task_id, xmin::text as tx from events where task_id like :prefix")
                .bind("prefix", prefix + "-%")
                .setMapKeyColumn("task_id").setMapValueColumn("tx").collectInto(new GenericType<Map<String, String>>() { }));
        } finally {
            store.stop();
        }
    }

    @Test
    void aNotificationAloneIsWrittenAtOnceWhateverTheGatherWindow() throws Exception {
        EventStore store = newStore(2, 256, 100, Duration.ofSeconds(60));
        store.start();
        try {
            assertThat(store.store(event("alone")).get(10, TimeUnit.SECONDS)).isPresent();
        } finally {
            store.stop();
        }
    }

    /** Until this many inserts into events wait for the test's lock. */
    private static void awaitWritersBlocked(int writers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbi.withHandle(h -> h.createQuery("select count(*) from pg_locks where relation = 'events'::regclass and not granted")
            .mapTo(Integer.class).one()) < writers) {
            assertThat(System.nanoTime()).as("inserts blocked by the lock").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void beyondTheBytesAllowedToWaitANotificationIsRefusedAtOnceAsUnavailable() throws Exception {
        NewEvent first = event("waiting-1");
        // no committer: what is stored waits in the queue
        EventStore store = new EventStore(jdbi, new ObjectMapper(), handoff,
            new EventStore.Settings(0, 256, 4 * 1024 * 1024, Duration.ofSeconds(8), 100, first.body().length + 100, 4, Duration.ofMillis(2)), new MetricRegistry());
        store.start();
        try {
            CompletableFuture<Optional<EventId>> waiting = store.store(first);
            CompletableFuture<Optional<EventId>> refused = store.store(event("waiting-2"));

            assertThat(waiting).isNotDone();
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).hasCauseInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("bytes of notifications are waiting to be stored");
        } finally {
            store.stop();
        }
    }

    private Optional<EventId> store(NewEvent event) throws Exception {
        EventStore store = newStore();
        store.start();
        try {
            return store.store(event).get(10, TimeUnit.SECONDS);
        } finally {
            store.stop();
        }
    }

    private EventStore newStore() {
        return newStore(1, 256, 4, Duration.ofMillis(2));
    }

    private EventStore newStore(int committers, int maxBatch, int gatherBatch, Duration gatherWindow) {
        return new EventStore(jdbi, new ObjectMapper(), handoff, new EventStore.Settings(committers, maxBatch, 4 * 1024 * 1024,
            Duration.ofSeconds(8), 100, 1024 * 1024, gatherBatch, gatherWindow), new MetricRegistry());
    }

    private static NewEvent event(String taskId) {
        byte[] body = AirudderPayloads.signed(AirudderPayloads.seed().put("TaskID", taskId), "key");
        return new NewEvent(new TenantId(tenant), EventKind.CALL_COMPLETION, true, body, Digests.sha256(body), Instant.now(),
            "127.0.0.1", Map.of("Content-Type", "application/json"), null, taskId, 1,
            List.of(new CallRef("call-" + taskId, "case-" + taskId, "+15550100")));
    }

    private record Row(long id, long destinationId, UUID token, Instant nextAttemptAt, Instant receivedAt) {
        boolean leased() {
            return token != null;
        }

        boolean dueAtReceipt() {
            return nextAttemptAt.equals(receivedAt);
        }
    }

    private static List<Row> deliveriesOf(EventId id) {
        return jdbi.withHandle(h -> h.createQuery("select d.id, d.destination_id, d.lease_token, d.next_attempt_at, e.received_at "
                + "from deliveries d join events e on e.tenant_id = d.tenant_id and e.id = d.event_id where d.event_id = :id order by d.id")
            .bind("id", id.value())
            .map((rs, ctx) -> new Row(rs.getLong(1), rs.getLong(2), rs.getObject(3, UUID.class), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant()))
            .list());
    }
}
