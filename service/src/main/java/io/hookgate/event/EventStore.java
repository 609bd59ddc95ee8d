package io.hookgate.event;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.hookgate.store.HeldConnection;
import io.hookgate.store.StoreFailures;
import io.hookgate.store.StoreUnavailableException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable storage of accepted notifications; the answer to AIRUDDER waits for the future {@link #store} returns.
 * <p>
 * Group commit: the ingests that arrive while a commit is under way wait in a queue, and the next committer thread
 * writes all of them with one statement in one transaction. Each future still completes only once its own event is
 * committed, but a burst costs one round trip and one WAL flush instead of one per notification. An ingest alone is
 * written at once. One that finds another batch being written waits for company, up to {@code gatherBatch}
 * notifications or {@code gatherWindow}: a statement's fixed cost is most of what a small batch costs PostgreSQL, and
 * at a moderate rate two committers would otherwise each write one or two notifications per transaction.
 */
public final class EventStore implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    /** From config.yml's ingest section. */
    public record Settings(int committers, int maxBatch, int maxBatchBytes, Duration commitTimeout, int maxQueued,
                           long maxQueuedBytes, int gatherBatch, Duration gatherWindow) {
    }

    /** A caller waiting for its event to be committed. */
    private record Pending(EventDao.Row row, CompletableFuture<Optional<EventId>> result) {
    }

    /** Two events of one tenant with the same body are one notification: the database keeps the first. */
    private record BodyKey(long tenantId, ByteBuffer sha256) {
    }

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final DeliveryHandoff deliveries;
    private final Settings settings;
    private final BlockingQueue<Pending> queue;
    /** Bytes of the bodies in {@link #queue}. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Histogram batchSizes;
    /** Committers writing a batch now. */
    private final AtomicInteger writing = new AtomicInteger();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running;

    /** {@code deliveries}: the delivery worker, which takes the deliveries of each commit at once. */
    public EventStore(Jdbi jdbi, ObjectMapper json, DeliveryHandoff deliveries, Settings settings, MetricRegistry metrics) {
        this.jdbi = jdbi;
        this.json = json;
        this.deliveries = deliveries;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.maxQueued());
        this.batchSizes = metrics.histogram("hookgate.ingest.commit_batch");
        metrics.gauge("hookgate.ingest.commit_queue", () -> queue::size);
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.committers(); i++) {
            Thread thread = new Thread(this::commitLoop, "event-committer-" + i);
            thread.setDaemon(true);
            thread.start();
            committers.add(thread);
        }
    }

    /** Commits what is already queued, then stops; Jetty has stopped taking requests by then. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        for (Thread thread : committers) {
            thread.join(settings.commitTimeout().toMillis());
        }
        committers.clear();
        Pending left;
        while ((left = queue.poll()) != null) {
            queuedBytes.addAndGet(-left.row().event().body().length);
            left.result().completeExceptionally(new StoreUnavailableException("the service is stopping"));
        }
    }

    /**
     * Completes with the new event's id once committed, with its deliveries created and handed to the delivery
     * worker; with empty if the tenant already has an event with this exact body. Completes exceptionally when the
     * event could not be committed in time: the caller must not acknowledge it (if it did land after all, AIRUDDER's
     * retry is answered as a duplicate).
     * <p>
     * The caller does not wait on a thread: the committer that wrote the batch completes it, so a slow database holds
     * memory for each waiting notification (at most {@code maxQueued} of them, {@code maxQueuedBytes} of bodies)
     * rather than a request thread.
     */
    public CompletableFuture<Optional<EventId>> store(NewEvent event) {
        if (!running) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the service is stopping"));
        }
        int size = event.body().length;
        long waiting = queuedBytes.get();
        if (waiting > 0 && waiting + size > settings.maxQueuedBytes()) { // one larger notification alone still goes
            return CompletableFuture.failedFuture(new StoreUnavailableException(
                "more than " + settings.maxQueuedBytes() + " bytes of notifications are waiting to be stored"));
        }
        Pending pending = new Pending(new EventDao.Row(event, headersJson(event)), new CompletableFuture<>());
        queuedBytes.addAndGet(size);
        if (!queue.offer(pending)) {
            queuedBytes.addAndGet(-size);
            return CompletableFuture.failedFuture(
                new StoreUnavailableException("more than " + settings.maxQueued() + " notifications are waiting to be stored"));
        }
        return pending.result()
            .orTimeout(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .exceptionallyCompose(failure -> CompletableFuture.failedFuture(failure instanceof TimeoutException
                ? new StoreUnavailableException("the notification was not committed within " + settings.commitTimeout())
                : failure));
    }

    private void commitLoop() {
        try (HeldConnection connection = new HeldConnection(jdbi)) {
            commitLoop(connection);
        }
    }

    private void commitLoop(HeldConnection connection) {
        while (running || !queue.isEmpty()) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // read before taking the rest: a batch written now keeps the next arrivals in the queue for a while
                boolean othersWriting = writing.get() > 0;
                batch.add(first);
                long bytes = first.row().event().body().length;
                long gatherUntil = System.nanoTime() + settings.gatherWindow().toNanos();
                while (batch.size() < settings.maxBatch() && bytes < settings.maxBatchBytes()) {
                    Pending next = queue.poll();
                    long left;
                    if (next == null && othersWriting && batch.size() < settings.gatherBatch()
                        && (left = gatherUntil - System.nanoTime()) > 0) {
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                    }
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    bytes += next.row().event().body().length;
                }
                queuedBytes.addAndGet(-bytes);
                writing.incrementAndGet();
                try {
                    commit(connection, batch);
                } finally {
                    writing.decrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // never leave a caller waiting for a committer that died
                LOG.error("Event committer failed on a batch of {}", batch.size(), e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
        }
    }

    private void commit(HeldConnection connection, List<Pending> batch) {
        // A repeat within the batch waits for its first copy: stored once, answered as a duplicate.
        Map<BodyKey, Pending> firsts = new HashMap<>();
        List<Pending> unique = new ArrayList<>();
        List<Pending> repeats = new ArrayList<>();
        for (Pending p : batch) {
            (firsts.putIfAbsent(bodyKey(p), p) == null ? unique : repeats).add(p);
        }
        try {
            write(connection, unique);
        } catch (RuntimeException e) {
            if (unique.size() == 1 || StoreFailures.isUnavailable(e)) {
                unique.forEach(p -> p.result().completeExceptionally(e));
            } else {
                // One bad event must not fail the others: write each alone, so only its own caller gets the error.
                LOG.warn("A batch of {} events failed ({}); writing them one by one", unique.size(), e.toString());
                for (Pending p : unique) {
                    try {
                        write(connection, List.of(p));
                    } catch (RuntimeException alone) {
                        p.result().completeExceptionally(alone);
                    }
                }
            }
        }
        for (Pending repeat : repeats) {
            firsts.get(bodyKey(repeat)).result().whenComplete((stored, failure) -> {
                if (failure != null) {
                    repeat.result().completeExceptionally(failure);
                } else {
                    repeat.result().complete(Optional.empty());
                }
            });
        }
    }

    private static BodyKey bodyKey(Pending pending) {
        NewEvent e = pending.row().event();
        return new BodyKey(e.tenantId().value(), ByteBuffer.wrap(e.bodySha256()));
    }

    private void write(HeldConnection connection, List<Pending> batch) {
        List<EventDao.Row> rows = batch.stream().map(Pending::row).toList();
        Optional<DeliveryHandoff.Lease> lease = deliveries.offer();
        List<EventDao.Inserted> inserted = connection.run(c -> EventDao.insertAll(c, rows, lease));
        batchSizes.update(batch.size());
        boolean due = false;
        List<DeliveryHandoff.HeldDelivery> held = new ArrayList<>();
        List<Optional<EventId>> ids = new ArrayList<>(Collections.nCopies(batch.size(), Optional.empty())); // empty: a duplicate
        for (EventDao.Inserted row : inserted) {
            EventId id = new EventId(row.id());
            ids.set(row.index(), Optional.of(id));
            due |= row.deliveries() > row.held().size();
            NewEvent event = rows.get(row.index()).event();
            for (EventDao.Held h : row.held()) {
                held.add(new DeliveryHandoff.HeldDelivery(h.deliveryId(), event.tenantId(), id, h.destinationId(), h.webhookId(),
                    event.kind(), event.body(), lease.orElseThrow().token(), event.receivedAt()));
            }
        }
        if (due || !held.isEmpty()) {
            deliveries.committed(held, due);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(ids.get(i));
        }
    }

    private String headersJson(NewEvent event) {
        try {
            return json.writeValueAsString(event.headers());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("headers are not serializable", e);
        }
    }
}
