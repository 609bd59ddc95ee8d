package io.hookgate.delivery;

import io.hookgate.event.EventKind;
import io.hookgate.tenant.TenantId;

/** One request to send: the event's raw body, unchanged, and the id the receiver deduplicates on. */
record OutgoingWebhook(String webhookId, TenantId tenantId, EventKind kind, byte[] body) {
}
