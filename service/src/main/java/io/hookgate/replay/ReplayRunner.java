package io.hookgate.replay;

import io.dropwizard.lifecycle.Managed;
import io.hookgate.delivery.DeliveryDao;
import io.hookgate.delivery.DestinationId;
import io.hookgate.event.EventId;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Works through bulk replays in the background: turns their dead letters (or the events a destination missed) into
 * new deliveries in batches, each destination's spread out at {@code pacePerDestination} per second so a recovered
 * receiver is not flooded, then watches the deliveries until none is pending. Progress lives in the replays table, so
 * any instance can report it.
 */
public final class ReplayRunner implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);
    static final int BATCH = 200;
    /** Events a replay of missed events examines per transaction. */
    static final int WINDOW = 1000;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Runnable deliveriesCreated;
    private final Duration tick;
    private final Duration interval;
    /** Per replay, when each destination's next delivery is due (in memory: a restart merely restarts the spacing). */
    private final Map<Long, Map<DestinationId, Instant>> schedule = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;

    public ReplayRunner(Jdbi jdbi, Clock clock, double pacePerDestination, Duration tick, Runnable deliveriesCreated) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.tick = tick;
        this.interval = Duration.ofNanos(Math.round(1_000_000_000L / pacePerDestination));
        this.deliveriesCreated = deliveriesCreated;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "replay-runner");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private void run() {
        while (running) {
            try {
                for (ReplayDao.ReplayRow row : jdbi.withExtension(ReplayDao.class, ReplayDao::unfinished)) {
                    advance(row);
                }
                Thread.sleep(tick.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Replay runner: {} (retrying)", e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void advance(ReplayDao.ReplayRow row) {
        Replay replay = row.replay();
        Instant now = clock.instant();
        if (replay.state().equals("delivering")) {
            if (row.pending() == 0) {
                jdbi.useExtension(ReplayDao.class, dao -> dao.setState(replay.id(), "completed", null, now));
                schedule.remove(replay.id());
            }
            return;
        }
        int taken = jdbi.inTransaction(handle -> replay.source() == Replay.Source.MISSING
            ? queueMissed(handle, row, now) : queueDeadLetters(handle, row, now));
        if (taken > 0) {
            deliveriesCreated.run();
        } else {
            jdbi.useExtension(ReplayDao.class, dao -> dao.setState(replay.id(), "delivering", null, now));
        }
    }

    /** The next batch of its waiting dead letters, each a new delivery. Returns how many (none: the replay has queued all). */
    private int queueDeadLetters(Handle handle, ReplayDao.ReplayRow row, Instant now) {
        Replay replay = row.replay();
        DeadLetterDao letters = handle.attach(DeadLetterDao.class);
        DeliveryDao deliveries = handle.attach(DeliveryDao.class);
        List<DeadLetter> batch = letters.nextWaiting(replay.filter(), row.upToId(), BATCH);
        for (DeadLetter letter : batch) {
            ReplayService.replayOne(letters, deliveries, letter, replay.id(), slot(replay, letter.destinationId(), now), now,
                replay.requestedBy());
        }
        handle.attach(ReplayDao.class).addQueued(replay.id(), batch.size(), now);
        return batch.size();
    }

    /**
     * The next window of events received in the replay's range: each that the destination missed becomes a new delivery,
     * and the replay moves past the window in the same transaction. Returns how many events it examined (none: the
     * replay has queued all).
     */
    private int queueMissed(Handle handle, ReplayDao.ReplayRow row, Instant now) {
        Replay replay = row.replay();
        DestinationId destination = replay.filter().destinationId().orElseThrow();
        TenantId tenant = replay.filter().tenantId().orElseThrow();
        ReplayDao replays = handle.attach(ReplayDao.class);
        DeliveryDao deliveries = handle.attach(DeliveryDao.class);
        ReplayDao.Cursor after = replays.lockCursor(replay.id());
        List<ReplayDao.ExaminedEvent> window = replays.nextExamined(tenant, destination, replay.filter().from().orElseThrow(),
            replay.filter().to().orElseThrow(), after.afterAt(), after.afterId(), WINDOW);
        int queued = 0;
        for (ReplayDao.ExaminedEvent event : window) {
            if (event.missed()) {
                deliveries.insertDelivery(tenant, new EventId(event.id()), destination, replay.id(), slot(replay, destination, now), now);
                queued++;
            }
        }
        if (!window.isEmpty()) {
            ReplayDao.ExaminedEvent last = window.get(window.size() - 1);
            replays.movePast(replay.id(), last.receivedAt(), last.id());
        }
        replays.addQueued(replay.id(), queued, now);
        return window.size();
    }

    /**
     * When the replay's next delivery to the destination is due: one interval after its previous one (in an earlier
     * batch too), and not before now.
     */
    private Instant slot(Replay replay, DestinationId destination, Instant now) {
        Map<DestinationId, Instant> slots = schedule.computeIfAbsent(replay.id(), id -> new HashMap<>());
        Instant slot = slots.getOrDefault(destination, now);
        Instant dueAt = slot.isBefore(now) ? now : slot;
        slots.put(destination, dueAt.plus(interval));
        return dueAt;
    }
}
