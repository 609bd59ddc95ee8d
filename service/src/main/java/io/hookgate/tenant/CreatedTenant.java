package io.hookgate.tenant;

/** A new tenant and its KEY in clear: the one moment the KEY is handed out. */
public record CreatedTenant(Tenant tenant, String key) {
}
