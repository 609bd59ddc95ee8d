package io.hookgate.ingest;

import io.hookgate.tenant.TenantId;

import java.time.Instant;

/** A refused inbound request as support sees it: why, when, from where, and the start of the body. */
public record Rejection(long id, TenantId tenantId, Instant rejectedAt, RejectionReason reason, String message,
                        String sourceIp, int bodySize, byte[] bodyExcerpt) {
}
