package io.hookgate.replay;

import io.dropwizard.lifecycle.Managed;
import io.hookgate.delivery.DeliveryDao;
import io.hookgate.delivery.DestinationId;
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
 * Works through bulk replays in the background: turns their dead letters into new deliveries in batches, each
 * destination's spread out at {@code pacePerDestination} per second so a recovered receiver is not flooded, then
 * watches the deliveries until none is pending. Progress lives in the replays table, so any instance can report it.
 */
public final class ReplayRunner implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);
    static final int BATCH = 200;

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
        int queued = jdbi.inTransaction(handle -> {
            DeadLetterDao letters = handle.attach(DeadLetterDao.class);
            DeliveryDao deliveries = handle.attach(DeliveryDao.class);
            List<DeadLetter> batch = letters.nextWaiting(replay.filter(), row.upToId(), BATCH);
            // each destination's deliveries are due one interval apart, continuing where the previous batch ended
            Map<DestinationId, Instant> slots = schedule.computeIfAbsent(replay.id(), id -> new HashMap<>());
            for (DeadLetter letter : batch) {
                Instant slot = slots.getOrDefault(letter.destinationId(), now);
                Instant dueAt = slot.isBefore(now) ? now : slot;
                slots.put(letter.destinationId(), dueAt.plus(interval));
                ReplayService.replayOne(letters, deliveries, letter, replay.id(), dueAt, now, replay.requestedBy());
            }
            handle.attach(ReplayDao.class).addQueued(replay.id(), batch.size(), now);
            return batch.size();
        });
        if (queued > 0) {
            deliveriesCreated.run();
        } else {
            jdbi.useExtension(ReplayDao.class, dao -> dao.setState(replay.id(), "delivering", null, now));
        }
    }
}
