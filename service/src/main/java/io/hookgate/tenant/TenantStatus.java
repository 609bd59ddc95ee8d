package io.hookgate.tenant;

import io.hookgate.support.Problem;

public enum TenantStatus {
    ACTIVE("active"),
    /** Callbacks answer 403 and nothing is stored. */
    SUSPENDED("suspended");

    private final String wireName;

    TenantStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static TenantStatus fromWireName(String name) {
        for (TenantStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new Problem.Invalid("status", "must be active or suspended");
    }
}
