package io.hookgate.api;

import io.hookgate.delivery.Attempt;
import io.hookgate.delivery.Delivery;
import io.hookgate.delivery.DeliveryService;

import java.time.Instant;
import java.util.List;

/** A delivery with its attempt timeline. */
public record DeliveryJson(long id, long tenantId, long eventId, long destinationId, String webhookId, String status, int attemptCount,
                           String nextAttemptAt, boolean inFlight, boolean paused, Integer lastStatusCode, String lastError, Long replayId,
                           String createdAt, String completedAt, List<AttemptJson> attempts) {

    public record AttemptJson(long id, String attemptedAt, int durationMs, Integer statusCode, String responseExcerpt,
                              String errorKind, String error) {
        static AttemptJson of(Attempt a) {
            return new AttemptJson(a.id(), a.attemptedAt().toString(), a.durationMs(), a.statusCode(), a.responseExcerpt(), a.errorKind(), a.error());
        }
    }

    static DeliveryJson of(DeliveryService.Tracked tracked) {
        return of(tracked.delivery(), tracked.attempts());
    }

    static DeliveryJson of(Delivery d, List<Attempt> attempts) {
        return new DeliveryJson(d.id().value(), d.tenantId().value(), d.eventId().value(), d.destinationId().value(), d.webhookId(),
            d.status().wireName(), d.attempts(), d.status().wireName().equals("pending") ? text(d.nextAttemptAt()) : null, d.inFlight(), d.paused(),
            d.lastStatusCode(), d.lastError(), d.replayId(), text(d.createdAt()), text(d.completedAt()),
            attempts.stream().map(AttemptJson::of).toList());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
