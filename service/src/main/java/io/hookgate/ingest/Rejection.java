package io.hookgate.ingest;

import io.hookgate.tenant.TenantId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A refused inbound request as support sees it: why, when, from where, and the start of the body. {@code taskId}
 * is null when the body was not read that far (invalid JSON, too large).
 */
public record Rejection(long id, TenantId tenantId, Instant rejectedAt, RejectionReason reason, String message,
                        String taskId, String sourceIp, int bodySize, byte[] bodyExcerpt) {

    /** What AIRUDDER was answered. */
    public int httpStatus() {
        return HookHandler.status(reason);
    }

    /** The start of the body as text; bytes that were not UTF-8 show as replacement characters. */
    public String excerptText() {
        return new String(bodyExcerpt, StandardCharsets.UTF_8);
    }
}
