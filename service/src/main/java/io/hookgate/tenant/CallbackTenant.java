package io.hookgate.tenant;

import java.time.Instant;
import java.util.List;

/** What the ingest path needs to know about the tenant behind a callback token, KEYs already decrypted. */
public record CallbackTenant(TenantId id, TenantStatus status, boolean acceptUnsigned, List<VerificationKey> keys) {

    /** A KEY as the UTF-8 bytes the signature is computed over; {@code validUntil} is null for the current KEY. */
    public record VerificationKey(byte[] utf8, Instant validUntil) {
        public boolean isValidAt(Instant now) {
            return validUntil == null || now.isBefore(validUntil);
        }
    }
}
