package io.hookgate.ingest;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.slf4j.MDC;
import io.hookgate.event.EventKind;
import io.hookgate.event.EventStore;
import io.hookgate.event.NewEvent;
import io.hookgate.support.Digests;
import io.hookgate.tenant.CallbackTenant;
import io.hookgate.tenant.TenantDirectory;
import io.hookgate.tenant.TenantKeys;
import io.hookgate.tenant.TenantStatus;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The path every AIRUDDER notification takes: find the tenant, read and verify the notification, store it.
 * AIRUDDER retries a failed notification only 5 times, a minute apart, then drops it: so a notification is refused
 * only when it is wrong, and a storage failure is thrown to the caller (who answers 5xx) rather than swallowed.
 */
public final class IngestService {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The kinds a callback URL may end with, as the kinds are named. */
    private static final String SUFFIXES = Arrays.stream(EventKind.values()).filter(k -> k != EventKind.UNKNOWN)
        .map(EventKind::wireName).collect(Collectors.joining(", "));

    /** The tenant label of what was answered before a tenant was found: a token no tenant has, or a lookup that failed. */
    private static final String UNKNOWN_TENANT = "unknown";
    private static final byte[] DEFAULT_KEY = TenantKeys.AIRUDDER_DEFAULT_KEY.getBytes(StandardCharsets.UTF_8);
    /** Retired KEYs a failed Sign is compared with, to say so: the last few rotations. */
    private static final int RETIRED_KEYS_CHECKED = 5;

    private final TenantDirectory tenants;
    private final NotificationParser parser;
    private final EventStore events;
    private final RejectionLog rejections;
    private final Clock clock;
    private final MetricRegistry metrics;
    /** Where an ingest's time goes: reading the notification, and the statement that stores it (commit included). */
    private final Timer parseTime;
    private final Timer storeTime;

    public IngestService(TenantDirectory tenants, NotificationParser parser, EventStore events, RejectionLog rejections, Clock clock,
                         MetricRegistry metrics) {
        this.tenants = tenants;
        this.parser = parser;
        this.events = events;
        this.rejections = rejections;
        this.clock = clock;
        this.metrics = metrics;
        this.parseTime = metrics.timer("hookgate.ingest.parse");
        this.storeTime = metrics.timer("hookgate.ingest.store");
    }

    /**
     * What became of the notification: complete at once when it is refused, once committed when it is stored. Fails
     * (rather than refusing) when it could not be stored, so that the caller answers 5xx and AIRUDDER retries.
     */
    public CompletableFuture<IngestOutcome> receive(InboundRequest request) {
        Instant receivedAt = clock.instant();
        Optional<CallbackTenant> found;
        try {
            found = tenants.find(request.token());
        } catch (RuntimeException e) {
            count(UNKNOWN_TENANT, "store_failed"); // a 503 as much as a failed insert: alerts on the outcome see both
            throw e;
        }
        if (found.isEmpty()) {
            count(UNKNOWN_TENANT, "unknown_callback");
            return CompletableFuture.completedFuture(
                new IngestOutcome.Rejected(RejectionReason.UNKNOWN_TOKEN, "no tenant has this callback URL"));
        }
        CallbackTenant tenant = found.get();
        // every log line about this notification carries its tenant; the caller clears it
        MDC.put("tenantId", tenant.id().toString());
        Optional<EventKind> kindFromPath = Optional.empty();
        if (request.kindSuffix().isPresent()) {
            kindFromPath = EventKind.fromWireName(request.kindSuffix().get());
            if (kindFromPath.isEmpty() || kindFromPath.get() == EventKind.UNKNOWN) {
                return reject(tenant, request, RejectionReason.UNKNOWN_KIND, "unknown notification kind \"" + request.kindSuffix().get()
                    + "\" at the end of the URL: use one of " + SUFFIXES, taskIdOf(request));
            }
        }
        if (tenant.status() == TenantStatus.SUSPENDED) {
            return reject(tenant, request, RejectionReason.TENANT_SUSPENDED, "this tenant is suspended; nothing is stored",
                taskIdOf(request));
        }
        if (request.tooLarge()) {
            return reject(tenant, request, RejectionReason.BODY_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        Notification notification;
        try (var timing = parseTime.time()) {
            notification = parser.parse(request.body(), kindFromPath);
        } catch (RejectedNotification e) {
            return reject(tenant, request, e.reason(), e.getMessage(), e.taskId());
        }
        boolean signed = notification.kind().carriesSignature();
        if (signed && !signatureMatches(tenant, notification, receivedAt)) {
            // The cached KEYs may predate a rotation made on another instance: check fresh ones before refusing.
            Optional<CallbackTenant> fresh = tenants.reload(request.token());
            if (fresh.isEmpty() || !signatureMatches(fresh.get(), notification, receivedAt)) {
                return reject(tenant, request, RejectionReason.BAD_SIGNATURE, badSignature(tenant, notification),
                    Optional.ofNullable(notification.taskId()));
            }
        }
        if (!signed && !tenant.acceptUnsigned()) {
            return reject(tenant, request, RejectionReason.UNSIGNED_NOT_ACCEPTED, "notifications of kind "
                + notification.kind().wireName() + " carry no signature and this tenant accepts only signed ones",
                Optional.ofNullable(notification.taskId()));
        }
        NewEvent event = new NewEvent(tenant.id(), notification.kind(), signed, request.body(), Digests.sha256(request.body()),
            receivedAt, request.sourceIp(), request.headers(), notification.workflowId(), notification.taskId(),
            notification.callCount(), notification.calls());
        Timer.Context storing = storeTime.time();
        return events.store(event).handle((stored, failure) -> {
            storing.stop();
            if (failure != null) {
                count(tenant, "store_failed");
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            count(tenant, stored.isPresent() ? "stored" : "duplicate");
            return stored.<IngestOutcome>map(id -> new IngestOutcome.Stored(id, notification.kind()))
                .orElseGet(() -> new IngestOutcome.Duplicate(notification.kind()));
        });
    }

    /** hookgate.ingest.tenant.{id}.{outcome}: exported to Prometheus with tenant and outcome as labels. */
    private void count(CallbackTenant tenant, String outcome) {
        count(tenant.id().toString(), outcome);
    }

    private void count(String tenant, String outcome) {
        metrics.meter("hookgate.ingest.tenant." + tenant + "." + outcome).mark();
    }

    private static boolean signatureMatches(CallbackTenant tenant, Notification notification, Instant now) {
        boolean matched = false;
        for (CallbackTenant.VerificationKey key : tenant.keys()) {
            // no early exit: the time taken does not depend on which KEY matched
            matched |= key.isValidAt(now) && AirudderSignature.matches(notification.signedTaskId(), notification.sign(), key.utf8());
        }
        return matched;
    }

    /**
     * Why a Sign did not match: AIRUDDER's default KEY, still set there, is the usual mistake when a tenant is onboarded;
     * a KEY rotated in Hookgate but not yet entered in AIRUDDER the usual one later.
     */
    private String badSignature(CallbackTenant tenant, Notification notification) {
        if (AirudderSignature.matches(notification.signedTaskId(), notification.sign(), DEFAULT_KEY)) {
            return "Sign was made with AIRUDDER's default KEY \"airudder\", not this tenant's: set the tenant's KEY (shown when "
                + "it was created or rotated) in AIRUDDER's callback settings";
        }
        for (CallbackTenant.VerificationKey retired : tenants.retiredKeys(tenant.id(), RETIRED_KEYS_CHECKED)) {
            if (AirudderSignature.matches(notification.signedTaskId(), notification.sign(), retired.utf8())) {
                return "Sign was made with a previous KEY of this tenant, no longer valid since "
                    + retired.validUntil().truncatedTo(ChronoUnit.SECONDS) + " (a rotation replaced it): set the "
                    + "current KEY in AIRUDDER's callback settings";
            }
        }
        return "Sign does not match TaskID and this tenant's KEY (is the KEY configured in AIRUDDER the current one?)";
    }

    /** For a request refused before its body is read: the TaskID support will search its rejection by. */
    private Optional<String> taskIdOf(InboundRequest request) {
        return request.tooLarge() ? Optional.empty() : parser.taskIdOf(request.body());
    }

    private CompletableFuture<IngestOutcome> reject(CallbackTenant tenant, InboundRequest request, RejectionReason reason,
                                                    String message) {
        return reject(tenant, request, reason, message, Optional.empty());
    }

    private CompletableFuture<IngestOutcome> reject(CallbackTenant tenant, InboundRequest request, RejectionReason reason,
                                                    String message, Optional<String> taskId) {
        count(tenant, reason.wireName());
        rejections.record(tenant.id(), reason, message, taskId, request);
        return CompletableFuture.completedFuture(new IngestOutcome.Rejected(reason, message));
    }
}
