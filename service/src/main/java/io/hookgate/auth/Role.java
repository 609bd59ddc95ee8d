package io.hookgate.auth;

import io.hookgate.support.Problem;

import java.util.Arrays;
import java.util.stream.Collectors;

public enum Role {
    /** Agency staff: onboard tenants, manage every user. */
    PLATFORM_ADMIN("platform_admin"),
    /** Bound to one tenant: its keys, destinations, users and replays. */
    TENANT_ADMIN("tenant_admin"),
    /** Reads every tenant's events and replays dead letters; never sees a KEY or secret. */
    SUPPORT("support");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        throw new Problem.Invalid("role", "must be one of " + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
    }
}
