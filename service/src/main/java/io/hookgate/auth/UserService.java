package io.hookgate.auth;

import io.hookgate.audit.AuditLog;
import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantDao;
import io.hookgate.tenant.TenantId;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and their roles. Platform admins manage everyone; a tenant admin manages the tenant admins of its own
 * tenant; everyone may change their own password.
 */
public final class UserService {

    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;

    public UserService(Jdbi jdbi, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    public User create(Actor actor, String email, String password, Role role, Optional<TenantId> requestedTenant) {
        // a tenant admin creating a tenant admin means one of its own tenant
        Optional<TenantId> tenant = requestedTenant.isEmpty() && actor.role() == Role.TENANT_ADMIN && role == Role.TENANT_ADMIN
            ? actor.tenantId() : requestedTenant;
        requireMayAssign(actor, role, tenant);
        String address = validEmail(email);
        String hash = hasher.hash(PasswordPolicy.check(password));
        User user = jdbi.inTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            if (dao.emailTaken(address)) {
                throw new Problem.Conflict("a user with email " + address + " already exists");
            }
            return dao.find(new UserId(dao.insert(address, hash, role.wireName(), tenant.orElse(null), clock.instant()))).orElseThrow();
        });
        audit.record(actor, "user.create", tenant.orElse(null), "user " + user.id(), Map.of("email", address, "role", role.wireName()));
        return user;
    }

    public List<User> list(Actor actor) {
        return switch (actor.role()) {
            case PLATFORM_ADMIN -> jdbi.withExtension(UserDao.class, UserDao::list);
            case TENANT_ADMIN -> jdbi.withExtension(UserDao.class, dao -> dao.listOfTenant(actor.tenantId().orElseThrow()));
            case SUPPORT -> throw new Problem.Forbidden("the support role cannot list users");
        };
    }

    public User get(Actor actor, UserId id) {
        User user = find(id);
        if (!user.id().equals(actor.id()) && !mayManage(actor, user)) {
            throw new Problem.NotFound("user " + id);
        }
        return user;
    }

    public User update(Actor actor, UserId id, UserChanges changes) {
        User before = get(actor, id);
        boolean self = before.id().equals(actor.id());
        // a value sent as it already is changes nothing (a script that GETs, edits the password and PATCHes it all back)
        boolean changesAccess = changes.role().filter(r -> r != before.role()).isPresent()
            || changes.tenantId().filter(t -> !before.tenantId().equals(Optional.of(t))).isPresent()
            || changes.disabled().filter(d -> d != before.disabled()).isPresent();
        if (changesAccess && self) {
            throw new Problem.Forbidden("you cannot change your own role, tenant or disabled state; ask another admin");
        }
        if (!self && !mayManage(actor, before)) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot change this user");
        }
        Role role = changes.role().orElse(before.role());
        Optional<TenantId> tenant = changes.tenantId().isPresent() ? changes.tenantId()
            : role == Role.TENANT_ADMIN ? before.tenantId() : Optional.empty();
        if (changesAccess) {
            requireMayAssign(actor, role, tenant);
        }
        boolean disabled = changes.disabled().orElse(before.disabled());
        Optional<String> hash = changes.password().map(p -> hasher.hash(PasswordPolicy.check(p)));
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            dao.update(id, role.wireName(), tenant.orElse(null), disabled, now);
            hash.ifPresent(h -> dao.setPassword(id, h, now));
            if (disabled || hash.isPresent()) {
                handle.attach(SessionDao.class).deleteOfUser(id); // signed out everywhere
            }
        });
        Map<String, Object> detail = new HashMap<>();
        detail.put("role", role.wireName());
        detail.put("disabled", disabled);
        detail.put("passwordChanged", hash.isPresent());
        audit.record(actor, "user.update", tenant.orElse(null), "user " + id, detail);
        return find(id);
    }

    /** Ends a lock left by failed sign-ins (the count starts again), for whoever may manage the user; audited. */
    public User unlock(Actor actor, UserId id) {
        User user = get(actor, id);
        if (!mayManage(actor, user)) {
            throw new Problem.Forbidden("the " + actor.role().wireName() + " role cannot unlock this user");
        }
        jdbi.useExtension(UserDao.class, dao -> dao.clearFailedLogins(id));
        audit.record(actor, "user.unlock", user.tenantId().orElse(null), "user " + id, Map.of("wasLockedUntil",
            user.lockedUntil().map(Instant::toString).orElse("not locked")));
        return find(id);
    }

    /**
     * The first platform admin, created when no user exists (several instances starting together create one).
     * Returns the password when it was generated, so that it can be shown once.
     */
    public Optional<String> bootstrapAdmin(String email, Optional<String> password, String generatedPassword) {
        String address = validEmail(email);
        String chosen = password.filter(p -> !p.isBlank()).orElse(generatedPassword);
        String hash = hasher.hash(PasswordPolicy.check(chosen));
        boolean created = jdbi.inTransaction(handle -> {
            UserDao dao = handle.attach(UserDao.class);
            dao.lockBootstrap();
            if (dao.any()) {
                return false;
            }
            dao.insert(address, hash, Role.PLATFORM_ADMIN.wireName(), null, clock.instant());
            return true;
        });
        if (created) {
            LOG.info("Created the first platform admin {}", address);
        }
        return created && password.filter(p -> !p.isBlank()).isEmpty() ? Optional.of(chosen) : Optional.empty();
    }

    private boolean mayManage(Actor actor, User user) {
        return switch (actor.role()) {
            case PLATFORM_ADMIN -> true;
            case TENANT_ADMIN -> user.role() == Role.TENANT_ADMIN && user.tenantId().equals(actor.tenantId());
            case SUPPORT -> false;
        };
    }

    private void requireMayAssign(Actor actor, Role role, Optional<TenantId> tenant) {
        switch (actor.role()) {
            case PLATFORM_ADMIN -> {
            }
            case TENANT_ADMIN -> {
                if (role != Role.TENANT_ADMIN || !tenant.equals(actor.tenantId())) {
                    throw new Problem.Forbidden("a tenant_admin can only manage tenant_admin users of its own tenant");
                }
            }
            case SUPPORT -> throw new Problem.Forbidden("the support role cannot manage users");
        }
        if (role == Role.TENANT_ADMIN && tenant.isEmpty()) {
            throw new Problem.Invalid("tenantId", "is required for a tenant_admin");
        }
        if (role != Role.TENANT_ADMIN && tenant.isPresent()) {
            throw new Problem.Invalid("tenantId", "only a tenant_admin is bound to a tenant");
        }
        if (tenant.isPresent() && jdbi.withExtension(TenantDao.class, dao -> dao.find(tenant.get())).isEmpty()) {
            throw new Problem.Invalid("tenantId", "no tenant " + tenant.get());
        }
    }

    private User find(UserId id) {
        return jdbi.withExtension(UserDao.class, dao -> dao.find(id)).orElseThrow(() -> new Problem.NotFound("user " + id));
    }

    private static String validEmail(String email) {
        String address = email == null ? "" : email.strip();
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new Problem.Invalid("email", "must be an email address");
        }
        return address;
    }
}
