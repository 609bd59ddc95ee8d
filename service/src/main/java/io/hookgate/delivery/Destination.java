package io.hookgate.delivery;

import io.hookgate.event.EventKind;
import io.hookgate.tenant.TenantId;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where a tenant's events are forwarded, and how. {@code headers} are in clear here; they are sealed at rest. */
public record Destination(DestinationId id, TenantId tenantId, DestinationSettings settings, Instant createdAt, Instant updatedAt) {

    public String name() {
        return settings.name();
    }

    public URI url() {
        return settings.url();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public Set<EventKind> kinds() {
        return settings.kinds();
    }

    public Optional<DeliveryFilter> filter() {
        return settings.filter();
    }

    public Map<String, String> headers() {
        return settings.headers();
    }

    public RetryPolicy retry() {
        return settings.retry();
    }
}
