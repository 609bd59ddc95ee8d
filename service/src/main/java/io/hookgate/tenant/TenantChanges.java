package io.hookgate.tenant;

import java.util.Optional;

/** A partial update: absent fields stay as they are. A retention of 0 days means "back to the default". */
public record TenantChanges(Optional<String> name, Optional<TenantStatus> status, Optional<Boolean> acceptUnsigned,
                            Optional<Integer> retentionDays) {

    public TenantChanges(Optional<String> name, Optional<TenantStatus> status, Optional<Boolean> acceptUnsigned) {
        this(name, status, acceptUnsigned, Optional.empty());
    }
}
