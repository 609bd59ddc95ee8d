package io.hookgate.delivery;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.dropwizard.lifecycle.Managed;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hookgate.event.DeliveryHandoff;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The delivery loop. One dispatcher thread takes the deliveries the ingest hands over (written under this worker's
 * lease: see {@link DeliveryHandoff}) and claims due ones (woken at once by {@link #wake()} when the outbox gets rows
 * it must claim, else sleeping until the next retry is due or the poll interval, the fallback for rows other
 * instances created), checks the destination's circuit, rate limit and bulkhead, and starts an asynchronous HTTP
 * attempt. A recorder thread writes the outcomes, batched: each attempt, then success, the next retry time, or a dead
 * letter.
 */
public final class DeliveryWorker implements Managed, DeliveryHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    /** Deliveries per second the worker keeps starting while it yields to the ingest, unless configured otherwise. */
    public static final double DEFAULT_MINIMUM_PACED_RATE = YieldToIngest.DEFAULT_MIN_RATE;

    /** How the worker is sized and paced. */
    public record Settings(int maxInFlight, int claimBatch, Duration lease, Duration pollInterval, int recorderThreads,
                           double minimumPacedRate) {
    }

    private final Jdbi jdbi;
    private final DestinationDirectory destinations;
    private final DestinationGuards guards;
    private final DeliverySender sender;
    private final Clock clock;
    private final Settings settings;
    private final MetricRegistry metrics;
    private final Timer attemptLatency;
    private final Semaphore capacity;
    /** How long AIRUDDER waited for its answers recently (ms): deliveries yield while it is long. */
    private final DoubleSupplier ingestAnswerMillis;
    private final YieldToIngest yieldToIngest;
    private final ClaimFloor claimFloor = new ClaimFloor();
    private final Object signal = new Object();
    private boolean woken;
    /**
     * Set while the dispatcher waits for in-flight slots (its own capacity, or a destination's bulkhead): only then
     * does a recorded outcome wake it. Otherwise every outcome would cost a claim that finds nothing, and at a
     * steady trickle (one notification at a time) those empty claims were most of the database's work.
     */
    private volatile boolean awaitingSlots;
    private volatile boolean running;
    /** Set by an operator (POST /tasks/delivery-pause): nothing new is sent; deliveries wait, due, in the database. */
    private volatile boolean paused;
    /**
     * Set while the last claim took every due delivery it could see: only then are new deliveries handed over
     * directly, so that they do not overtake a backlog waiting in the outbox.
     */
    private volatile boolean caughtUp;
    /** Deliveries the ingest committed under this worker's lease, waiting for the dispatcher. */
    private final Queue<ClaimedDelivery> handedOver = new ConcurrentLinkedQueue<>();
    /** Recorders keep going after claiming stops, until every outcome in flight is written. */
    private volatile boolean recording = true;
    private Thread dispatcher;
    /** Outcomes waiting to be written: recorders write them in batches, one transaction (one commit) per batch. */
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private final List<Thread> recorders = new ArrayList<>();

    /** One finished attempt, to be recorded. */
    private record Outcome(ClaimedDelivery delivery, Destination destination, AttemptResult result) {
    }

    static final int RECORD_BATCH = 64;

    DeliveryWorker(Jdbi jdbi, DestinationDirectory destinations, DestinationGuards guards, DeliverySender sender, Clock clock,
                   MetricRegistry metrics, Settings settings, DoubleSupplier ingestAnswerMillis) {
        this.metrics = metrics;
        this.ingestAnswerMillis = ingestAnswerMillis;
        this.yieldToIngest = new YieldToIngest(settings.minimumPacedRate());
        metrics.gauge("hookgate.delivery.yield_to_ingest_ms", () -> yieldToIngest::currentPauseMillis);
        metrics.gauge("hookgate.delivery.paced_per_second", () -> yieldToIngest::ratePerSecond);
        // what the yield decides on: AIRUDDER's recent answer time, and the ingest's own (its lowest lately)
        metrics.gauge("hookgate.delivery.ingest_answer_ms", () -> ingestAnswerMillis::getAsDouble);
        metrics.gauge("hookgate.delivery.ingest_answer_base_ms", () -> yieldToIngest::baseMillis);
        metrics.gauge("hookgate.delivery.cpu_load", () -> yieldToIngest::cpuLoad);
        this.attemptLatency = metrics.timer("hookgate.delivery.attempt");
        this.jdbi = jdbi;
        this.destinations = destinations;
        this.guards = guards;
        this.sender = sender;
        this.clock = clock;
        this.settings = settings;
        this.capacity = new Semaphore(settings.maxInFlight());
    }

    /** New deliveries exist or capacity was freed: claim now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * A lease while this worker would start new deliveries at once: running, not paused nor paced, nothing due left
     * unclaimed, and room in flight for what it already holds. The lease is as long as a claim's, so if this instance
     * dies before sending them, they are due again when it ends, as claimed ones are.
     */
    @Override
    public Optional<Lease> offer() {
        int held = handedOver.size();
        if (!running || paused || !caughtUp || yieldToIngest.ratePerSecond() > 0 || held >= settings.claimBatch()
            || capacity.availablePermits() <= held) {
            return Optional.empty();
        }
        return Optional.of(new Lease(UUID.randomUUID(), clock.instant().plus(settings.lease()), guards.saturated()));
    }

    @Override
    public void committed(List<HeldDelivery> held, boolean due) {
        for (HeldDelivery d : held) {
            handedOver.add(new ClaimedDelivery(new DeliveryId(d.deliveryId()), d.tenantId(), d.eventId(),
                new DestinationId(d.destinationId()), d.webhookId(), 0, d.kind(), d.body(), d.leaseToken(), d.dueAt()));
        }
        synchronized (signal) {
            woken |= due;
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < settings.recorderThreads(); i++) {
            Thread recorder = new Thread(this::recordLoop, "delivery-recorder-" + i);
            recorder.setDaemon(true);
            recorder.start();
            recorders.add(recorder);
        }
        dispatcher = new Thread(this::run, "delivery-dispatcher");
        dispatcher.start();
    }

    /** Stops claiming, lets attempts in flight finish for a while; any left keep their lease and are retried after it. */
    @Override
    public void stop() throws InterruptedException {
        running = false;
        wake();
        if (dispatcher != null) {
            dispatcher.join(10_000);
        }
        if (capacity.tryAcquire(settings.maxInFlight(), 25, TimeUnit.SECONDS)) {
            capacity.release(settings.maxInFlight());
        } else {
            LOG.warn("Stopping with attempts still in flight: they are retried once their lease ends");
        }
        recording = false;
        for (Thread recorder : recorders) {
            recorder.join(10_000);
        }
    }

    /** Stops claiming on this instance; attempts already in flight finish. Due deliveries wait until {@link #resume()}. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    public boolean isPaused() {
        return paused;
    }

    public int inFlight() {
        return settings.maxInFlight() - capacity.availablePermits();
    }

    public boolean isRunning() {
        return running && dispatcher != null && dispatcher.isAlive();
    }

    private void run() {
        long claimAt = System.nanoTime(); // claim at once on start, then when woken, when a retry is due, or after a poll interval
        boolean slotWanted = false; // deliveries wait, due, for a destination at its in-flight limit: a freed slot calls for a claim
        while (running) {
            try {
                awaitingSlots = true; // before reading the capacity: a slot freed after the read must wake us
                if (paused || capacity.availablePermits() == 0) {
                    giveBackHandedOver(); // paused: nothing new is sent; full: due again, for any instance
                    await(settings.pollInterval());
                    claimAt = System.nanoTime();
                    continue;
                }
                awaitingSlots = slotWanted;
                if (!handedOver.isEmpty()) {
                    int limit = yieldToIngest.permits(Math.min(capacity.availablePermits(), handedOver.size()),
                        ingestAnswerMillis.getAsDouble());
                    if (limit == 0) {
                        TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, yieldToIngest.nanosUntilPermit()));
                        continue;
                    }
                    yieldToIngest.started(limit);
                    for (int i = 0; i < limit; i++) {
                        if (!dispatch(handedOver.remove())) {
                            // given back, due: the next claim takes it once its destination has a slot
                            slotWanted = true;
                            caughtUp = false;
                            claimAt = System.nanoTime();
                        }
                    }
                    continue; // the capacity, the pace and what else was handed over are read again
                }
                if (!wokenForClaim() && System.nanoTime() - claimAt < 0) {
                    awaitHandoverOrWake(claimAt);
                    continue;
                }
                int limit = yieldToIngest.permits(Math.min(capacity.availablePermits(), settings.claimBatch()),
                    ingestAnswerMillis.getAsDouble());
                if (limit == 0) {
                    // not await(): every commit wakes it
                    TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, yieldToIngest.nanosUntilPermit()));
                    continue;
                }
                takeWake();
                long[] saturated = guards.saturated();
                awaitingSlots = saturated.length > 0;
                Instant now = clock.instant();
                ClaimFloor.Bound bound = claimFloor.next(now);
                List<ClaimedDelivery> claimed = jdbi.withHandle(handle -> DeliveryDao.claim(handle, bound.from(), now,
                    now.plus(settings.lease()), UUID.randomUUID(), limit, saturated));
                claimFloor.claimed(bound, claimed.stream().map(ClaimedDelivery::dueAt).min(Instant::compareTo),
                    saturated.length > 0);
                yieldToIngest.started(claimed.size());
                boolean heldBack = false;
                for (ClaimedDelivery delivery : claimed) {
                    heldBack |= !dispatch(delivery);
                }
                slotWanted = saturated.length > 0 || heldBack;
                boolean tookAllDue = claimed.size() < limit && !heldBack;
                caughtUp = tookAllDue;
                // A short claim took every due delivery: claim again when woken (a commit, a freed slot) or when one is due.
                // A delivery held back for want of a slot is due now: the next claim leaves its destination out.
                claimAt = tookAllDue && !wokenForClaim() ? System.nanoTime() + untilNextDue(now).toNanos() : System.nanoTime();
            } catch (RuntimeException e) {
                LOG.warn("Delivery dispatcher: {} (retrying in a second)", e.toString());
                await(Duration.ofSeconds(1));
                claimAt = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        giveBackHandedOver();
    }

    /** Deliveries handed over but not started go back to the outbox, due, for any instance to claim. */
    private void giveBackHandedOver() {
        ClaimedDelivery delivery;
        while ((delivery = handedOver.poll()) != null) {
            try {
                release(delivery, delivery.dueAt());
            } catch (RuntimeException e) {
                LOG.warn("Could not give back delivery {}: it is due again when its lease ends ({})", delivery.id(), e.toString());
            }
        }
    }

    /** Starts the delivery's attempt, or gives it back; false when it waits, due, for an in-flight slot. */
    private boolean dispatch(ClaimedDelivery delivery) {
        Optional<SendTarget> found = destinations.find(delivery.destinationId());
        if (found.isPresent() && !found.get().destination().enabled()) {
            // the claim takes no delivery of a disabled destination: this copy predates its enabling (on another instance)
            destinations.forget(delivery.destinationId());
            found = destinations.find(delivery.destinationId());
            if (found.isPresent() && found.get().destination().enabled()) {
                guards.resetCircuit(delivery.destinationId()); // as the instance that enabled it did
            }
        }
        if (found.isEmpty() || found.get().deleted()) {
            // e.g. a replay for a destination deleted since: visible as cancelled, not retried forever
            jdbi.useHandle(handle -> DeliveryDao.cancel(handle, delivery, clock.instant()));
            return true;
        }
        SendTarget target = found.get();
        Destination destination = target.destination();
        Instant now = clock.instant();
        if (!destination.enabled()) {
            claimFloor.givenBack(now); // due now if it was enabled again meanwhile
            jdbi.useHandle(handle -> DeliveryDao.pauseClaimed(handle, delivery, now)); // disabled since the claim
            return true;
        }
        CircuitBreaker circuit = guards.circuit(destination.id());
        if (!circuit.tryAcquirePermission()) {
            release(delivery, guards.retryAfterCircuit(destination.id(), now));
            return true;
        }
        DestinationGuards.Limits limits = guards.limits(destination);
        if (limits.rateLimiter().isPresent() && !limits.rateLimiter().get().acquirePermission()) {
            circuit.releasePermission();
            double rate = limits.ratePerSecond().orElse(1.0);
            release(delivery, now.plusMillis(Math.max(10, Math.round(1000 / rate))));
            return true;
        }
        if (!limits.bulkhead().tryAcquirePermission()) {
            circuit.releasePermission();
            // back in its place in the queue, not behind newer deliveries: the claim skips this destination until a slot frees
            release(delivery, delivery.dueAt());
            return false;
        }
        if (!capacity.tryAcquire()) {
            limits.bulkhead().onComplete();
            circuit.releasePermission();
            release(delivery, delivery.dueAt());
            return false;
        }
        long started = System.nanoTime();
        CompletableFuture<AttemptResult> attempt;
        try {
            attempt = sender.send(target, new OutgoingWebhook(delivery.webhookId(), delivery.tenantId(), delivery.kind(), delivery.body()));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e); // recorded as a failed attempt; permits released below
        }
        attempt.whenComplete((result, failure) -> {
            limits.bulkhead().onComplete();
            AttemptResult outcome = failure == null ? result : new AttemptResult(now, 0, null, null, "io", failure.toString(), Optional.empty());
            long nanos = System.nanoTime() - started;
            if (outcome.succeeded()) {
                circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
            } else {
                circuit.onError(nanos, TimeUnit.NANOSECONDS, new DeliveryFailure(outcome.summary()));
            }
            outcomes.add(new Outcome(delivery, destination, outcome));
        });
        return true;
    }

    /** Writes finished attempts, as many as are waiting (up to a batch) in one transaction: one commit for many. */
    private void recordLoop() {
        List<Outcome> batch = new ArrayList<>(RECORD_BATCH);
        while (recording || !outcomes.isEmpty()) {
            boolean retryScheduled = false;
            try {
                Outcome first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, RECORD_BATCH - 1);
                retryScheduled = record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Could not record {} attempts: those deliveries are retried after their lease", batch.size(), e);
            } finally {
                if (!batch.isEmpty()) {
                    capacity.release(batch.size()); // the capacity counts attempts until their outcome is written
                    batch.clear();
                    // a retry may be due before the dispatcher's planned wake-up: it looks again
                    if (awaitingSlots || retryScheduled) {
                        wake();
                    }
                }
            }
        }
    }

    /** One statement (one round trip, one commit) per batch, whatever its size; true if it scheduled a retry. */
    private boolean record(List<Outcome> batch) {
        Instant now = clock.instant();
        List<DeliveryDao.Recorded> rows = batch.stream().map(o -> recorded(o, now)).toList();
        List<DeliveryId> dead = jdbi.withHandle(handle -> DeliveryDao.record(handle, rows, now));
        for (int i = 0; i < batch.size(); i++) {
            ClaimedDelivery delivery = batch.get(i).delivery();
            boolean died = dead.contains(delivery.id());
            if (!died && rows.get(i).status() != DeliveryStatus.PENDING) {
                continue; // a success: its metrics and the attempts table say enough
            }
            try (var tenant = MDC.putCloseable("tenantId", delivery.tenantId().toString());
                 var event = MDC.putCloseable("eventId", delivery.eventId().toString());
                 var id = MDC.putCloseable("deliveryId", delivery.id().toString())) {
                if (died) {
                    LOG.info("Delivery {} to destination {} is a dead letter after {} attempts: {}", delivery.id(),
                        batch.get(i).destination().id(), delivery.attempts() + 1, rows.get(i).error());
                } else {
                    // a receiver failing for hours shows in the log from its first failure, not only a day later
                    LOG.info("Delivery {} to destination {}: attempt {} of {} failed: {}; next attempt at {}", delivery.id(),
                        batch.get(i).destination().id(), delivery.attempts() + 1, batch.get(i).destination().retry().maxAttempts(),
                        rows.get(i).error(), rows.get(i).nextAt());
                }
            }
        }
        return rows.stream().anyMatch(row -> row.status() == DeliveryStatus.PENDING);
    }

    /** What an outcome makes of its delivery: succeeded, dead after its last attempt, or pending until its next one. */
    private DeliveryDao.Recorded recorded(Outcome outcome, Instant now) {
        ClaimedDelivery delivery = outcome.delivery();
        AttemptResult result = outcome.result();
        int attemptsMade = delivery.attempts() + 1;
        boolean last = attemptsMade >= outcome.destination().retry().maxAttempts();
        attemptLatency.update(result.durationMs(), TimeUnit.MILLISECONDS);
        metrics.meter("hookgate.delivery.outcome." + (result.succeeded() ? "succeeded" : last ? "dead" : "retry")).mark();
        DeliveryStatus status = result.succeeded() ? DeliveryStatus.SUCCEEDED : last ? DeliveryStatus.DEAD : DeliveryStatus.PENDING;
        Instant nextAt = status == DeliveryStatus.PENDING
            ? now.plus(outcome.destination().retry().delayAfter(attemptsMade, result.retryAfter())) : now;
        return new DeliveryDao.Recorded(delivery.tenantId(), delivery.id(), delivery.leaseToken(), result.startedAt(),
            result.durationMs(), result.statusCode(), result.responseExcerpt(), result.errorKind(), result.error(), status,
            nextAt, result.succeeded() ? null : result.summary());
    }

    private void release(ClaimedDelivery delivery, Instant at) {
        claimFloor.givenBack(at);
        jdbi.useHandle(handle -> DeliveryDao.release(handle, delivery, at, clock.instant()));
    }

    private Duration untilNextDue(Instant now) {
        Optional<Instant> next = jdbi.withHandle(DeliveryDao::nextDueAt);
        if (next.isEmpty() || !next.get().isAfter(now)) {
            // nothing pending, or only deliveries of saturated destinations: a completion or new row wakes us
            return settings.pollInterval();
        }
        Duration wait = Duration.between(now, next.get());
        return wait.compareTo(settings.pollInterval()) < 0 ? wait : settings.pollInterval();
    }

    private boolean wokenForClaim() {
        synchronized (signal) {
            return woken;
        }
    }

    private void takeWake() {
        synchronized (signal) {
            woken = false;
        }
    }

    /** Sleeps until {@code deadline} (System.nanoTime), a wake, or a hand-over; the loop then looks at what came. */
    private void awaitHandoverOrWake(long deadline) throws InterruptedException {
        synchronized (signal) {
            while (running && !woken && handedOver.isEmpty()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, remaining);
            }
        }
    }

    private void await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (!woken && running) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }
}
