package io.hookgate.delivery;

import io.hookgate.support.Problem;

public enum DeliveryStatus {
    PENDING("pending"),
    SUCCEEDED("succeeded"),
    /** Every attempt failed: a dead letter waits for replay. */
    DEAD("dead"),
    /** Its destination was deleted before it could be delivered. */
    CANCELLED("cancelled");

    private final String wireName;

    DeliveryStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static DeliveryStatus fromWireName(String name) {
        for (DeliveryStatus status : values()) {
            if (status.wireName.equals(name)) {
                return status;
            }
        }
        throw new Problem.Invalid("status", "must be one of pending, succeeded, dead, cancelled");
    }
}
