package io.hookgate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.hookgate.delivery.DeliveryModule;
import io.hookgate.delivery.DeliveryWorker;
import io.hookgate.event.EventStore;
import io.hookgate.retention.RetentionPurger;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The one configuration class, filled from config.yml with environment variables substituted. */
public class HookgateConfiguration extends Configuration {

    /** url {@code embedded} (DATABASE_URL unset) starts the embedded PostgreSQL. */
    @Valid
    @NotNull
    @JsonProperty
    private DataSourceFactory database = new DataSourceFactory();

    /** Local state of the embedded default: the PostgreSQL data and the generated master key. */
    @NotEmpty
    @JsonProperty
    private String dataDir = "./data";

    /** Base of the callback URLs handed to AIRUDDER; unset: this instance's own, http://localhost:{port}. */
    @JsonProperty
    private String publicUrl;

    /** Base64 of 32 bytes; required with an external database. */
    @JsonProperty
    private String masterKey;

    @NotEmpty
    @JsonProperty
    private String adminEmail = "admin@localhost";

    @JsonProperty
    private String adminPassword;

    /** How long a callback token's tenant and KEYs are cached on the ingest path. */
    @NotNull
    @JsonProperty
    private Duration tenantCacheTtl = Duration.seconds(5);

    /** How long a callback waits for its tenant when the cache misses before it is answered 503 (AIRUDDER waits 10 s). */
    @NotNull
    @JsonProperty
    private Duration tenantLookupTimeout = Duration.seconds(2);

    @Min(10)
    @Max(100_000)
    @JsonProperty
    private int rejectionsKeptPerTenant = 1000;

    @Valid
    @NotNull
    @JsonProperty
    private DeliveryConfig delivery = new DeliveryConfig();

    /** How events are forwarded to destinations. */
    public static class DeliveryConfig {
        /** HOOKGATE_ALLOW_PRIVATE_DESTINATIONS: lets destinations point at private and loopback addresses. */
        @JsonProperty
        private boolean allowPrivateDestinations = false;

        /** Attempts in flight at once in this instance, over all destinations. */
        @Min(1)
        @Max(10_000)
        @JsonProperty
        private int maxInFlight = 256;

        @Min(1)
        @Max(1000)
        @JsonProperty
        private int claimBatch = 64;

        /** How long a claimed delivery is held before another instance may take it over (if its worker died). */
        @NotNull
        @JsonProperty
        private Duration lease = Duration.seconds(90);

        /** Fallback poll for deliveries created by other instances; this instance's own wake the worker at once. */
        @NotNull
        @JsonProperty
        private Duration pollInterval = Duration.seconds(1);

        @NotNull
        @JsonProperty
        private Duration circuitOpenFor = Duration.seconds(30);

        @JsonProperty
        private double replayPacePerDestination = 20;

        @Min(1)
        @Max(64)
        @JsonProperty
        private int recorderThreads = 1;

        /**
         * Deliveries per second that the worker keeps starting however long AIRUDDER waits for its answers: it yields
         * to the ingest down to this rate, not below. Size it to the deliveries a light ingest creates (events/s times
         * destinations per event), so that those are forwarded as they arrive on a machine busy with other work.
         */
        @DecimalMin("1")
        @JsonProperty
        private double minimumPacedRate = DeliveryWorker.DEFAULT_MINIMUM_PACED_RATE;

        public DeliveryModule.Settings toSettings() {
            return new DeliveryModule.Settings(allowPrivateDestinations,
                new DeliveryWorker.Settings(maxInFlight, claimBatch, lease.toJavaDuration(),
                    pollInterval.toJavaDuration(), recorderThreads, minimumPacedRate),
                circuitOpenFor.toJavaDuration(), java.time.Duration.ofSeconds(5));
        }

        public double getReplayPacePerDestination() {
            return replayPacePerDestination;
        }
    }

    @Valid
    @NotNull
    @JsonProperty
    private IngestConfig ingest = new IngestConfig();

    /** Group commit of inbound notifications: concurrent ingests share one transaction. */
    public static class IngestConfig {
        /** Threads writing batches; while one waits for its commit, the next batch gathers for another. */
        @Min(1)
        @Max(64)
        @JsonProperty
        private int committers = 2;

        @Min(1)
        @Max(10_000)
        @JsonProperty
        private int maxBatch = 256;

        /** Bodies per batch, in bytes (a batch always takes at least one notification). */
        @Min(1)
        @JsonProperty
        private int maxBatchBytes = 4 * 1024 * 1024;

        /** An ingest not committed by then is answered 503 (AIRUDDER waits at most 10 s). */
        @NotNull
        @JsonProperty
        private Duration commitTimeout = Duration.seconds(8);

        /** Beyond this many notifications waiting to be stored, new ones are answered 503 at once. */
        @Min(1)
        @JsonProperty
        private int maxQueued = 4096;

        /**
         * Beyond this many bytes of bodies waiting to be stored, new ones are answered 503 at once: no request thread
         * waits for the database, so this bounds the memory a slow database can take.
         */
        @Min(1)
        @JsonProperty
        private long maxQueuedBytes = 64L * 1024 * 1024;

        /**
         * A committer that finds another batch being written waits for this many notifications in its own batch, or
         * for {@link #gatherWindow}, whichever comes first; an ingest alone is never held back.
         */
        @Min(1)
        @Max(10_000)
        @JsonProperty
        private int gatherBatch = 4;

        @NotNull
        @MaxDuration(value = 100, unit = TimeUnit.MILLISECONDS)
        @JsonProperty
        private Duration gatherWindow = Duration.milliseconds(2);

        public EventStore.Settings toSettings() {
            return new EventStore.Settings(committers, maxBatch, maxBatchBytes, commitTimeout.toJavaDuration(),
                maxQueued, maxQueuedBytes, gatherBatch, gatherWindow.toJavaDuration());
        }
    }

    public IngestConfig getIngest() {
        return ingest;
    }

    @Valid
    @NotNull
    @JsonProperty
    private OperationsConfig operations = new OperationsConfig();

    /** Thresholds of the health checks. */
    public static class OperationsConfig {
        /** /healthcheck fails when a due delivery has waited longer: the workers are stuck or overwhelmed. */
        @NotNull
        @JsonProperty
        private Duration overdueDeliveryThreshold = Duration.minutes(5);

        /** A destination's circuit open longer than this is reported as a warning. */
        @NotNull
        @JsonProperty
        private Duration circuitOpenWarning = Duration.minutes(10);

        public Duration getOverdueDeliveryThreshold() {
            return overdueDeliveryThreshold;
        }

        public Duration getCircuitOpenWarning() {
            return circuitOpenWarning;
        }
    }

    @Valid
    @NotNull
    @JsonProperty
    private RetentionConfig retention = new RetentionConfig();

    /** How long data is kept. */
    public static class RetentionConfig {
        /** Events with their calls, deliveries and attempts; a tenant may override it (retentionDays). */
        @NotNull
        @JsonProperty
        private Duration events = Duration.days(90);

        /** Dead letters not replayed are kept this long (with their events), even past the events' retention. */
        @NotNull
        @JsonProperty
        private Duration deadLetters = Duration.days(365);

        @NotNull
        @JsonProperty
        private Duration interval = Duration.hours(1);

        @Min(1)
        @Max(100_000)
        @JsonProperty
        private int batchSize = 500;

        public RetentionPurger.Settings toSettings() {
            return new RetentionPurger.Settings(events.toJavaDuration(), deadLetters.toJavaDuration(),
                interval.toJavaDuration(), batchSize);
        }
    }

    public RetentionConfig getRetention() {
        return retention;
    }

    public OperationsConfig getOperations() {
        return operations;
    }

    public DeliveryConfig getDelivery() {
        return delivery;
    }

    public DataSourceFactory getDatabase() {
        return database;
    }

    public String getDataDir() {
        return dataDir;
    }

    public Optional<String> getPublicUrl() {
        return Optional.ofNullable(publicUrl).filter(url -> !url.isBlank());
    }

    public String getMasterKey() {
        return masterKey;
    }

    public String getAdminEmail() {
        return adminEmail;
    }

    public String getAdminPassword() {
        return adminPassword;
    }

    public Duration getTenantCacheTtl() {
        return tenantCacheTtl;
    }

    public Duration getTenantLookupTimeout() {
        return tenantLookupTimeout;
    }

    public int getRejectionsKeptPerTenant() {
        return rejectionsKeptPerTenant;
    }
}
