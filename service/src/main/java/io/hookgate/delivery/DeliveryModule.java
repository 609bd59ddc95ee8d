package io.hookgate.delivery;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import io.hookgate.audit.AuditLog;
import io.hookgate.support.RandomTokens;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The delivery feature's public face, built in one place so that its parts (codec, caches, guards, sender) stay
 * package-private: the services the API and UI call, and the worker and the sender the server manages (the sender
 * managed first, so that it stops after the worker).
 */
public record DeliveryModule(DestinationService destinations, DeliveryService deliveries, DeliveryWorker worker, Managed sender,
                             java.util.function.Function<Duration, java.util.List<DestinationId>> circuitsOpenLongerThan) {

    private static final int TEST_SEND_CONNECTIONS = 8;

    /** Settings from config.yml's delivery section. */
    public record Settings(boolean allowPrivateDestinations, DeliveryWorker.Settings worker, Duration circuitOpenFor,
                           Duration destinationCacheTtl) {
    }

    public static DeliveryModule create(Jdbi jdbi, SecretBox secrets, RandomTokens random, AuditLog audit, ObjectMapper json, Clock clock,
                                        MetricRegistry metrics, Settings settings, DoubleSupplier ingestAnswerMillis) {
        DestinationUrlPolicy urls = new DestinationUrlPolicy(settings.allowPrivateDestinations());
        DestinationCodec codec = new DestinationCodec(secrets, json);
        DestinationDirectory directory = new DestinationDirectory(jdbi, codec, secrets, clock, settings.destinationCacheTtl());
        // the pool never queues one of the worker's attempts, and has room beside them for test sends from the UI
        DeliverySender sender = new DeliverySender(new GuardedDnsResolver(urls), clock,
            settings.worker().lease().minusSeconds(10).isNegative() ? Duration.ofSeconds(1) : settings.worker().lease().minusSeconds(10),
            settings.worker().maxInFlight() + TEST_SEND_CONNECTIONS);
        DestinationGuards guards = new DestinationGuards(settings.circuitOpenFor(), metrics, clock);
        DeliveryWorker worker = new DeliveryWorker(jdbi, directory, guards, sender, clock, metrics, settings.worker(), ingestAnswerMillis);
        DestinationService destinations = new DestinationService(jdbi, codec, directory, urls, sender, secrets, random, audit, clock);
        DeliveryService deliveries = new DeliveryService(jdbi, destinations, guards, worker, audit, clock);
        return new DeliveryModule(destinations, deliveries, worker, sender, guards::openLongerThan);
    }
}
