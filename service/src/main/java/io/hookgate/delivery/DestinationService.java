package io.hookgate.delivery;

import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.event.EventKind;
import io.hookgate.support.Problem;
import io.hookgate.support.RandomTokens;
import io.hookgate.support.SecretBox;
import io.hookgate.tenant.TenantDao;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A tenant's destinations: configuration, signing secrets and the "send a test" button. */
public final class DestinationService {

    static final Duration DEFAULT_SECRET_OVERLAP = Duration.ofHours(24);

    private final Jdbi jdbi;
    private final DestinationCodec codec;
    private final DestinationDirectory directory;
    private final DestinationGuards guards;
    private final DestinationUrlPolicy urls;
    private final DeliverySender sender;
    private final SecretBox secrets;
    private final RandomTokens random;
    private final AuditLog audit;
    private final Clock clock;

    DestinationService(Jdbi jdbi, DestinationCodec codec, DestinationDirectory directory, DestinationGuards guards, DestinationUrlPolicy urls,
                       DeliverySender sender, SecretBox secrets, RandomTokens random, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.codec = codec;
        this.directory = directory;
        this.guards = guards;
        this.urls = urls;
        this.sender = sender;
        this.secrets = secrets;
        this.random = random;
        this.audit = audit;
        this.clock = clock;
    }

    public DestinationUrlPolicy urlPolicy() {
        return urls;
    }

    public CreatedDestination create(Actor actor, TenantId tenant, DestinationSettings settings) {
        actor.requireManage(tenant);
        requireTenantExists(tenant);
        urls.validate(settings.url().toString());
        settings.headers().forEach((name, value) -> requireNotMasked(name, value));
        String secret = newSecret();
        Instant now = clock.instant();
        DestinationId id = jdbi.inTransaction(handle -> {
            DestinationDao dao = handle.attach(DestinationDao.class);
            requireUnusedName(dao, tenant, settings.name(), null);
            DestinationId created = new DestinationId(insert(dao, tenant, settings, now));
            dao.insertSecret(tenant, created, secrets.seal(secret), now);
            return created;
        });
        audit.record(actor, "destination.create", tenant, "destination " + id, Map.of("name", settings.name(), "url", DestinationMasks.forViewer(settings.url())));
        return new CreatedDestination(find(id), secret);
    }

    /**
     * Another tenant's destination is not found, like one that does not exist: its tenant is not named. One deleted
     * is not found either, but those who may read it are told so, by name, rather than left to wonder.
     */
    public Destination get(Actor actor, DestinationId id) {
        DestinationRow row = readable(actor, id).orElseThrow(() -> new Problem.NotFound("destination " + id));
        if (row.deletedAt() != null) {
            throw new Problem.NotFound("destination " + id, "\"" + row.name() + "\" was deleted at "
                + row.deletedAt().truncatedTo(ChronoUnit.SECONDS));
        }
        return codec.destination(row);
    }

    /**
     * Its name, "(deleted)" after it if so: pages name what an event was sent to, or what a replay was filtered by,
     * long after the destination is gone. "destination 7" for one the actor may not read.
     */
    public String nameOf(Actor actor, DestinationId id) {
        return namesOf(actor, List.of(id)).get(id);
    }

    /** {@link #nameOf} for each of {@code ids}, read at once: a page names every destination its rows went to. */
    public Map<DestinationId, String> namesOf(Actor actor, Collection<DestinationId> ids) {
        Map<DestinationId, String> names = new HashMap<>();
        jdbi.withExtension(DestinationDao.class, dao -> dao.findAll(ids.stream().mapToLong(DestinationId::value).distinct().toArray()))
            .stream().filter(row -> actor.canRead(row.tenantId()))
            .forEach(row -> names.put(row.id(), row.deletedAt() == null ? row.name() : row.name() + " (deleted)"));
        ids.forEach(id -> names.putIfAbsent(id, "destination " + id));
        return names;
    }

    /** Whose destination it is, deleted or not: its dead letters stay listed, and filtered by it, after it is gone. */
    public TenantId tenantOf(Actor actor, DestinationId id) {
        return readable(actor, id).map(DestinationRow::tenantId).orElseThrow(() -> new Problem.NotFound("destination " + id));
    }

    /** Whether the actor can open the destination's page: it may read it, and it was not deleted. */
    public boolean hasPage(Actor actor, DestinationId id) {
        return readable(actor, id).filter(row -> row.deletedAt() == null).isPresent();
    }

    private Optional<DestinationRow> readable(Actor actor, DestinationId id) {
        return jdbi.withExtension(DestinationDao.class, dao -> dao.find(id)).filter(row -> actor.canRead(row.tenantId()));
    }

    public List<Destination> list(Actor actor, TenantId tenant) {
        actor.requireRead(tenant);
        return jdbi.withExtension(DestinationDao.class, dao -> dao.ofTenant(tenant)).stream().map(codec::destination).toList();
    }

    /** Refuses an actor who may not change this destination (403, 404 if it may not even read it), before its input is read. */
    public void requireManage(Actor actor, DestinationId id) {
        actor.requireManage(get(actor, id).tenantId());
    }

    /**
     * Replaces the settings. A header sent back with its masked value keeps the stored value, so a client can
     * PUT back what it read.
     */

    public Destination update(Actor actor, DestinationId id, DestinationSettings settings) {
        Destination before = get(actor, id);
        actor.requireManage(before.tenantId());
        urls.validate(settings.url().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        settings.headers().forEach((name, value) -> {
            if (DestinationMasks.isMasked(value) && before.headers().containsKey(name)) {
                headers.put(name, before.headers().get(name));
            } else {
                requireNotMasked(name, value);
                headers.put(name, value);
            }
        });
        DestinationSettings merged = new DestinationSettings(settings.name(), settings.url(), settings.enabled(), settings.kinds(),
            settings.filter(), headers, settings.retry(), settings.rateLimitPerSecond(), settings.maxInFlight());
        return apply(actor, before, merged);
    }

    /**
     * Switches the destination on or off, its other settings as they are: its URL is not checked again, so that one
     * whose host no longer resolves can still be switched off (sending checks each address anyway).
     */
    public Destination setEnabled(Actor actor, DestinationId id, boolean enabled) {
        Destination before = get(actor, id);
        actor.requireManage(before.tenantId());
        Instant now = clock.instant();
        boolean switched = jdbi.inTransaction(handle -> {
            DestinationDao dao = handle.attach(DestinationDao.class);
            // that column alone: someone saving the settings form meanwhile keeps what they saved
            boolean changed = dao.setEnabled(id, enabled, now) == 1;
            settle(dao, id, enabled, changed, false, now);
            return changed;
        });
        directory.forget(id);
        if (switched) {
            DestinationSettings s = before.settings();
            auditUpdate(actor, before, new DestinationSettings(s.name(), s.url(), enabled, s.kinds(), s.filter(), s.headers(), s.retry(),
                s.rateLimitPerSecond(), s.maxInFlight()));
        }
        return find(id);
    }

    private Destination apply(Actor actor, Destination before, DestinationSettings merged) {
        DestinationId id = before.id();
        Instant now = clock.instant();
        boolean switched = merged.enabled() != before.enabled();
        // one transaction: a replay inserting a delivery meanwhile reads the row under a share lock (DeliveryDao.insertDelivery)
        jdbi.useTransaction(handle -> {
            DestinationDao dao = handle.attach(DestinationDao.class);
            if (!merged.name().equals(before.name())) { // two of one name from before this check can still be edited
                requireUnusedName(dao, before.tenantId(), merged.name(), id.value());
            }
            dao.update(id, merged.name(), merged.url().toString(), merged.enabled(), codec.kinds(merged), codec.filterJson(merged),
                codec.filterPath(merged), codec.sealedHeaders(merged), merged.retry().timeoutMs(), merged.retry().maxAttempts(),
                merged.retry().initialMs(), merged.retry().multiplier(), merged.retry().maxMs(), merged.rateLimitPerSecond().orElse(null),
                merged.maxInFlight(), now);
            settle(dao, id, merged.enabled(), switched, !merged.url().equals(before.url()), now);
        });
        directory.forget(id);
        auditUpdate(actor, before, merged);
        return find(id);
    }

    private void auditUpdate(Actor actor, Destination before, DestinationSettings after) {
        audit.record(actor, "destination.update", before.tenantId(), "destination " + before.id(),
            Map.of("name", after.name(), "url", DestinationMasks.forViewer(after.url()), "enabled", after.enabled(),
                "changes", DestinationChanges.between(before.settings(), after)));
    }

    /**
     * A destination switched off pauses its waiting deliveries; one switched on, or sent elsewhere, starts with a closed
     * circuit and its waiting deliveries due now.
     */
    private void settle(DestinationDao dao, DestinationId id, boolean enabled, boolean switched, boolean urlChanged, Instant now) {
        if (switched && !enabled) {
            dao.pausePending(id, now);
        }
        if (switched || urlChanged) {
            guards.resetCircuit(id); // before its held deliveries are due: a claim would find the old circuit open
            if (enabled) {
                dao.resumePaused(id, now);
                dao.dueNow(id, now, now.plus(guards.longestDeferral()));
            }
        }
    }

    /**
     * Dead letters, replays and events name a destination: two of one name would be told apart by id only. The
     * tenant's row is locked first, so that two at once (a form sent twice) do not both find the name free.
     */
    private static void requireUnusedName(DestinationDao dao, TenantId tenant, String name, Long exceptId) {
        dao.lockTenant(tenant);
        if (dao.nameTaken(tenant, name, exceptId)) {
            throw new Problem.Invalid("name", "this tenant already has a destination named \"" + name.strip()
                + "\"; choose a name support can tell apart");
        }
    }

    /** Removes the destination; its pending deliveries end as cancelled, its history stays. */
    public void delete(Actor actor, DestinationId id) {
        Destination destination = get(actor, id);
        actor.requireManage(destination.tenantId());
        Instant now = clock.instant();
        int cancelled = jdbi.inTransaction(handle -> {
            DestinationDao dao = handle.attach(DestinationDao.class);
            dao.markDeleted(id, now);
            return dao.cancelPending(id, now);
        });
        directory.forget(id);
        guards.forget(id);
        audit.record(actor, "destination.delete", destination.tenantId(), "destination " + id,
            Map.of("name", destination.name(), "cancelledDeliveries", cancelled));
    }

    /** The current signing secret: for those who manage the tenant only, never for support. */
    public String signingSecret(Actor actor, DestinationId id) {
        return signingSecret(actor, get(actor, id));
    }

    /** The signing secret shown on request in the UI, after the password: each reveal is audited, as a KEY's is. */
    public String revealSigningSecret(Actor actor, DestinationId id) {
        Destination destination = get(actor, id);
        String secret = signingSecret(actor, destination);
        audit.record(actor, "destination.secret.reveal", destination.tenantId(), "destination " + id, Map.of());
        return secret;
    }

    private String signingSecret(Actor actor, Destination destination) {
        if (!actor.canManage(destination.tenantId())) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot see signing secrets");
        }
        return jdbi.withExtension(DestinationDao.class, dao -> dao.validSecrets(destination.id(), clock.instant())).stream().findFirst()
            .map(secrets::open).orElseThrow(() -> new IllegalStateException("destination " + destination.id() + " has no signing secret"));
    }

    public Optional<Instant> previousSecretValidUntil(DestinationId id) {
        return jdbi.withExtension(DestinationDao.class, dao -> dao.previousSecretValidUntil(id, clock.instant()));
    }

    public RotatedSecret rotateSecret(Actor actor, DestinationId id, Optional<Double> overlapHours) {
        Destination destination = get(actor, id);
        actor.requireManage(destination.tenantId());
        double hours = overlapHours.orElse((double) DEFAULT_SECRET_OVERLAP.toHours());
        if (!(hours >= 0 && hours <= 24 * 30)) {
            throw new Problem.Invalid("graceHours", "must be between 0 and 720");
        }
        String secret = newSecret();
        Instant now = clock.instant();
        Instant previousValidUntil = now.plusMillis(Math.round(hours * 3_600_000)).truncatedTo(ChronoUnit.MILLIS);
        jdbi.useTransaction(handle -> {
            DestinationDao dao = handle.attach(DestinationDao.class);
            dao.retireCurrentSecret(id, previousValidUntil);
            dao.insertSecret(destination.tenantId(), id, secrets.seal(secret), now);
        });
        directory.forget(id);
        audit.record(actor, "destination.secret.rotate", destination.tenantId(), "destination " + id, Map.of("graceHours", hours));
        return new RotatedSecret(secret, previousValidUntil, now);
    }

    /** Sends a synthetic, correctly signed call-completion event now and reports what the receiver answered. */
    public AttemptResult sendTest(Actor actor, DestinationId id, byte[] body) {
        Destination destination = get(actor, id);
        actor.requireManage(destination.tenantId());
        SendTarget target = directory.find(id).orElseThrow(() -> new Problem.NotFound("destination " + id));
        String webhookId = "msg_test_" + random.urlSafe(12);
        CompletableFuture<AttemptResult> result = sender.send(target, new OutgoingWebhook(webhookId, destination.tenantId(),
            EventKind.CALL_COMPLETION, body));
        try {
            AttemptResult attempt = result.get(destination.retry().timeoutMs() + 5_000L, TimeUnit.MILLISECONDS);
            audit.record(actor, "destination.test", destination.tenantId(), "destination " + id, Map.of("result", attempt.summary()));
            return attempt;
        } catch (Exception e) {
            throw new IllegalStateException("the test send did not complete: " + e, e);
        }
    }

    public record RotatedSecret(String signingSecret, Instant previousSecretValidUntil, Instant rotatedAt) {

        /** False after a rotation without grace: receivers must verify with the new secret from now on. */
        public boolean previousSecretStillSigns() {
            return previousSecretValidUntil.isAfter(rotatedAt);
        }
    }

    private long insert(DestinationDao dao, TenantId tenant, DestinationSettings s, Instant now) {
        return dao.insert(tenant, s.name(), s.url().toString(), s.enabled(), codec.kinds(s), codec.filterJson(s), codec.filterPath(s),
            codec.sealedHeaders(s), s.retry().timeoutMs(), s.retry().maxAttempts(), s.retry().initialMs(), s.retry().multiplier(),
            s.retry().maxMs(), s.rateLimitPerSecond().orElse(null), s.maxInFlight(), now);
    }

    private Destination find(DestinationId id) {
        return jdbi.withExtension(DestinationDao.class, dao -> dao.find(id)).filter(row -> row.deletedAt() == null)
            .map(codec::destination).orElseThrow(() -> new Problem.NotFound("destination " + id));
    }

    /** The mask stands for a stored value; where there is none it would be sent literally (and cannot be). */
    private static void requireNotMasked(String name, String value) {
        if (DestinationMasks.isMasked(value)) {
            throw new Problem.Invalid("headers", "the value of " + name + " is the mask, but no value is stored under that name; send the value itself");
        }
    }

    private void requireTenantExists(TenantId tenant) {
        if (jdbi.withExtension(TenantDao.class, dao -> dao.find(tenant)).isEmpty()) {
            throw new Problem.NotFound("tenant " + tenant);
        }
    }

    /** {@code whsec_} + base64 of 32 random bytes, as Standard Webhooks expects. */
    private String newSecret() {
        return WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(random.bytes(32));
    }
}
