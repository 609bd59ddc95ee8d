package io.hookgate.ingest;

import java.util.Optional;

/**
 * Thrown while reading a notification that cannot be accepted; carries no stack trace (it is expected). It names
 * the TaskID when the body was read far enough to find one, so support can look the refusal up by it.
 */
final class RejectedNotification extends Exception {

    private final RejectionReason reason;
    private final String taskId;

    RejectedNotification(RejectionReason reason, String message) {
        this(reason, message, null);
    }

    private RejectedNotification(RejectionReason reason, String message, String taskId) {
        super(message, null, false, false);
        this.reason = reason;
        this.taskId = taskId;
    }

    RejectedNotification withTaskId(String taskId) {
        return new RejectedNotification(reason, getMessage(), taskId);
    }

    RejectionReason reason() {
        return reason;
    }

    Optional<String> taskId() {
        return Optional.ofNullable(taskId);
    }
}
