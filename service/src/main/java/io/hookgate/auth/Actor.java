package io.hookgate.auth;

import io.hookgate.support.Problem;
import io.hookgate.tenant.TenantId;

import java.security.Principal;
import java.util.Optional;

/**
 * Who is calling, and what that allows. Every service takes the actor and checks here, so the JSON API and
 * the UI enforce the same rules.
 */
public record Actor(UserId id, String email, Role role, Optional<TenantId> tenantId) implements Principal {

    @Override
    public String getName() {
        return email;
    }

    public boolean isPlatformAdmin() {
        return role == Role.PLATFORM_ADMIN;
    }

    /** Sees the tenant's settings, events and rejections. */
    public boolean canRead(TenantId tenant) {
        return role == Role.PLATFORM_ADMIN || role == Role.SUPPORT || tenantId.filter(tenant::equals).isPresent();
    }

    /** Changes the tenant's keys, token, destinations and users. */
    public boolean canManage(TenantId tenant) {
        return role == Role.PLATFORM_ADMIN || (role == Role.TENANT_ADMIN && tenantId.filter(tenant::equals).isPresent());
    }

    public void requireRead(TenantId tenant) {
        if (!canRead(tenant)) {
            // a tenant admin probing other tenants learns nothing about which ids exist
            throw new Problem.NotFound("tenant " + tenant);
        }
    }

    public void requireManage(TenantId tenant) {
        requireRead(tenant);
        if (!canManage(tenant)) {
            throw new Problem.Forbidden("the " + role.wireName() + " role cannot change tenants, their KEYs, destinations or users");
        }
    }

    public void requirePlatformAdmin(String action) {
        if (!isPlatformAdmin()) {
            throw new Problem.Forbidden("only a platform_admin can " + action);
        }
    }

    /** What concerns every tenant at once (the service's own jobs): platform admins and support. */
    public boolean seesAllTenants() {
        return role == Role.PLATFORM_ADMIN || role == Role.SUPPORT;
    }

    public void requireAllTenants(String action) {
        if (!seesAllTenants()) {
            throw new Problem.Forbidden("only platform_admin and support can " + action);
        }
    }
}
