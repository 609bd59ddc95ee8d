package io.hookgate.tenant;

import io.hookgate.audit.AuditChanges;
import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.ingest.AirudderSignature;
import io.hookgate.store.LikePatterns;
import io.hookgate.support.Problem;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Onboarding and the life of a tenant: its name, status, KEY rotation and callback token. */
public final class TenantService {

    public static final Duration DEFAULT_KEY_GRACE = Duration.ofHours(24);
    static final double MAX_GRACE_HOURS = 24 * 30;
    private static final String MASK = "••••••";

    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final TenantKeys keys;
    private final TenantDirectory directory;
    private final AuditLog audit;
    private final Clock clock;
    private final String publicUrl;

    public TenantService(Jdbi jdbi, SecretBox secrets, TenantKeys keys, TenantDirectory directory, AuditLog audit,
                         Clock clock, String publicUrl) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.keys = keys;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public CreatedTenant create(Actor actor, String name, Optional<String> suppliedKey) {
        actor.requirePlatformAdmin("create tenants");
        String validName = validName(name);
        String key = keys.supplyOrGenerate(suppliedKey);
        Instant now = clock.instant();
        Tenant tenant = jdbi.inTransaction(handle -> {
            TenantDao dao = handle.attach(TenantDao.class);
            requireUnusedName(dao, validName, null);
            TenantId id = new TenantId(dao.insert(validName, keys.newCallbackToken(), now));
            dao.insertKey(id, secrets.seal(key), now);
            return dao.find(id).orElseThrow();
        });
        audit.record(actor, "tenant.create", tenant.id(), "tenant " + tenant.id(),
            Map.of("name", tenant.name(), "keySupplied", suppliedKey.isPresent()));
        return new CreatedTenant(tenant, key);
    }

    public Tenant get(Actor actor, TenantId id) {
        actor.requireRead(id);
        return find(id);
    }

    /** Platform admins and support see every tenant, a tenant admin only its own. */
    public List<Tenant> list(Actor actor, Optional<String> search) {
        String term = search.map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        String pattern = term == null ? null : LikePatterns.literal(term);
        List<Tenant> all = jdbi.withExtension(TenantDao.class, dao -> dao.list(pattern));
        return all.stream().filter(t -> actor.canRead(t.id())).toList();
    }

    public RotatedKey rotateKey(Actor actor, TenantId id, Optional<Double> graceHours, Optional<String> suppliedKey) {
        actor.requireManage(id);
        Tenant tenant = find(id);
        double hours = graceHours.orElse((double) DEFAULT_KEY_GRACE.toHours());
        if (!(hours >= 0 && hours <= MAX_GRACE_HOURS)) {
            throw new Problem.Invalid("graceHours", "must be between 0 and " + (long) MAX_GRACE_HOURS);
        }
        String key = keys.supplyOrGenerate(suppliedKey);
        Instant now = clock.instant();
        Instant previousValidUntil = now.plusMillis(Math.round(hours * 3_600_000)).truncatedTo(ChronoUnit.MILLIS);
        jdbi.useTransaction(handle -> {
            TenantDao dao = handle.attach(TenantDao.class);
            dao.retireCurrentKey(id, previousValidUntil);
            dao.insertKey(id, secrets.seal(key), now);
            dao.touch(id, now);
        });
        directory.forget(tenant.callbackToken());
        audit.record(actor, "tenant.key.rotate", id, "tenant " + id,
            Map.of("graceHours", hours, "previousKeyValidUntil", previousValidUntil.toString(), "keySupplied", suppliedKey.isPresent()));
        return new RotatedKey(key, previousValidUntil, now);
    }

    public Tenant rotateCallbackToken(Actor actor, TenantId id) {
        actor.requireManage(id);
        Tenant before = find(id);
        jdbi.useExtension(TenantDao.class, dao -> dao.updateToken(id, keys.newCallbackToken(), clock.instant()));
        directory.forget(before.callbackToken());
        audit.record(actor, "tenant.token.rotate", id, "tenant " + id, Map.of());
        return find(id);
    }

    public Tenant update(Actor actor, TenantId id, TenantChanges changes) {
        actor.requireManage(id);
        if ((changes.name().isPresent() || changes.status().isPresent() || changes.retentionDays().isPresent()) && !actor.isPlatformAdmin()) {
            throw new Problem.Forbidden("only a platform_admin can rename, suspend or resume a tenant or change its retention");
        }
        if (changes.retentionDays().isPresent() && (changes.retentionDays().get() < 0 || changes.retentionDays().get() > 3650)) {
            throw new Problem.Invalid("retentionDays", "must be between 1 and 3650 days; for the default, leave it empty (in the API: 0 or null)");
        }
        Tenant before = find(id);
        String name = changes.name().map(TenantService::validName).orElse(before.name());
        if (changes.name().isPresent()) {
            jdbi.useExtension(TenantDao.class, dao -> requireUnusedName(dao, name, id.value()));
        }
        TenantStatus status = changes.status().orElse(before.status());
        boolean acceptUnsigned = changes.acceptUnsigned().orElse(before.acceptUnsigned());
        Integer retentionDays = changes.retentionDays().isPresent()
            ? (changes.retentionDays().get() == 0 ? null : changes.retentionDays().get()) : before.retentionDays();
        List<Map<String, Object>> changed = new AuditChanges()
            .compare("name", before.name(), name)
            .compare("status", before.status().wireName(), status.wireName())
            .compare("acceptUnsigned", before.acceptUnsigned(), acceptUnsigned)
            .compare("retentionDays", retentionText(before.retentionDays()), retentionText(retentionDays))
            .list();
        if (changed.isEmpty()) {
            return before; // nothing changes: no new updatedAt, no audit entry of no changes
        }
        jdbi.useExtension(TenantDao.class, dao -> dao.update(id, name, status.wireName(), acceptUnsigned, retentionDays, clock.instant()));
        directory.forget(before.callbackToken());
        Map<String, Object> detail = new HashMap<>(Map.of("name", name, "status", status.wireName(), "acceptUnsigned", acceptUnsigned));
        detail.put("retentionDays", retentionDays == null ? "default" : retentionDays);
        detail.put("changes", changed);
        audit.record(actor, "tenant.update", id, "tenant " + id, detail);
        return find(id);
    }

    /** The current KEY in clear, for a manager who confirmed their password; every reveal is audited. */
    public String revealKey(Actor actor, TenantId id) {
        actor.requireManage(id);
        String key = currentKey(id);
        audit.record(actor, "tenant.key.reveal", id, "tenant " + id, Map.of());
        return key;
    }

    /** AIRUDDER's signature of {@code taskId} with the tenant's current KEY, for test calls; the KEY stays inside. */
    public String signWithCurrentKey(Actor actor, TenantId id, String taskId) {
        actor.requireManage(id);
        return AirudderSignature.sign(taskId, currentKey(id).getBytes(StandardCharsets.UTF_8));
    }

    private String currentKey(TenantId id) {
        return jdbi.withExtension(TenantDao.class, dao -> dao.currentKey(id)).map(row -> secrets.open(row.keyCiphertext()))
            .orElseThrow(() -> new Problem.NotFound("tenant " + id));
    }

    /**
     * The URL to register with AIRUDDER. It is a credential (for kinds AIRUDDER does not sign, the only one), so
     * those who cannot manage the tenant see its last four characters only: enough for support to match it against
     * what the customer registered.
     */
    public String callbackUrl(Actor actor, Tenant tenant) {
        String token = tenant.callbackToken();
        return publicUrl + "/hooks/" + (actor.canManage(tenant.id()) ? token : MASK + token.substring(Math.max(0, token.length() - 4)));
    }

    /** When the KEY that is not current stops verifying, if one is still in its grace period. */
    public Optional<Instant> previousKeyValidUntil(TenantId id) {
        Instant now = clock.instant();
        return jdbi.withExtension(TenantDao.class, dao -> dao.validKeys(id, now)).stream()
            .map(TenantKeyRow::validUntil).filter(v -> v != null).max(Instant::compareTo);
    }

    /** Whether a tenant of this id exists; not who may read it. */
    public boolean exists(TenantId id) {
        return jdbi.withExtension(TenantDao.class, dao -> dao.find(id)).isPresent();
    }

    private Tenant find(TenantId id) {
        return jdbi.withExtension(TenantDao.class, dao -> dao.find(id)).orElseThrow(() -> new Problem.NotFound("tenant " + id));
    }

    /** Two tenants of one name would be told apart only by id in every list and drop-down. */
    private static void requireUnusedName(TenantDao dao, String name, Long exceptId) {
        if (dao.nameTaken(name, exceptId)) {
            throw new Problem.Invalid("name", "a tenant named \"" + name + "\" already exists; choose a name staff can tell apart");
        }
    }

    private static String retentionText(Integer days) {
        return days == null ? "default" : days + " days";
    }

    private static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            throw new Problem.Invalid("name", "is required, 1 to 200 characters");
        }
        return trimmed;
    }
}
