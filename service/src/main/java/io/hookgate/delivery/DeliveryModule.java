package io.hookgate.delivery;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.audit.AuditLog;
import io.hookgate.support.RandomTokens;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * The delivery feature's public face, built in one place so that its parts (codec, caches, guards, sender) stay
 * package-private: the services the API and UI call, and the HTTP client and worker the server manages.
 */
public record DeliveryModule(DestinationService destinations, DeliveryService deliveries, DeliverySender sender, DeliveryWorker worker,
                             Function<Duration, List<Destination>> circuitsOpenLongerThan) {

    /** Settings from config.yml's delivery section. */
    public record Settings(boolean allowPrivateDestinations, DeliveryWorker.Settings worker, Duration circuitOpenFor,
                           Duration destinationCacheTtl) {
    }

    public static DeliveryModule create(Jdbi jdbi, SecretBox secrets, RandomTokens random, AuditLog audit, ObjectMapper json, Clock clock,
                                        MetricRegistry metrics, Settings settings, DoubleSupplier ingestAnswerMillis) {
        DestinationUrlPolicy urls = new DestinationUrlPolicy(settings.allowPrivateDestinations());
        DestinationCodec codec = new DestinationCodec(secrets, json);
        DestinationDirectory directory = new DestinationDirectory(jdbi, codec, secrets, clock, settings.destinationCacheTtl());
        Duration beforeLeaseEnds = settings.worker().lease().minusSeconds(10);
        Duration longestAttempt = beforeLeaseEnds.isNegative() ? Duration.ofSeconds(1) : beforeLeaseEnds;
        DeliverySender sender = new DeliverySender(urls, clock, longestAttempt, settings.worker().maxInFlight());
        DestinationGuards guards = new DestinationGuards(settings.circuitOpenFor(), metrics, clock);
        DeliveryWorker worker = new DeliveryWorker(jdbi, directory, guards, sender, clock, metrics, settings.worker(), ingestAnswerMillis);
        DestinationService destinations = new DestinationService(jdbi, codec, directory, guards, urls, sender, secrets, random, audit, clock);
        DeliveryService deliveries = new DeliveryService(jdbi, destinations, guards, worker, audit, clock);
        return new DeliveryModule(destinations, deliveries, sender, worker, threshold -> openCircuits(guards, directory, threshold));
    }

    /**
     * Destinations whose circuit is open, of those enabled: a paused destination's circuit waits for no one. One deleted on another
     * instance is forgotten here when seen, so that no warning or gauge outlives it.
     */
    private static List<Destination> openCircuits(DestinationGuards guards, DestinationDirectory directory, Duration threshold) {
        List<Destination> open = new ArrayList<>();
        for (DestinationId id : guards.openLongerThan(threshold)) {
            Optional<SendTarget> target = directory.find(id).filter(t -> !t.deleted());
            if (target.isEmpty()) {
                guards.forget(id);
            } else if (target.get().destination().enabled()) {
                open.add(target.get().destination());
            }
        }
        return open;
    }
}
