package io.hookgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hookgate.tenant.Tenant;

/** A tenant as the API shows it; {@code key} appears only in the answer that creates the tenant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantJson(long id, String name, String status, String callbackUrl, boolean acceptUnsigned, Integer retentionDays, String key,
                         String previousKeyValidUntil, String createdAt, String updatedAt) {

    static TenantJson of(Tenant tenant, String callbackUrl, String key, String previousKeyValidUntil) {
        return new TenantJson(tenant.id().value(), tenant.name(), tenant.status().wireName(), callbackUrl, tenant.acceptUnsigned(),
            tenant.retentionDays(), key, previousKeyValidUntil, tenant.createdAt().toString(), tenant.updatedAt().toString());
    }
}
