package io.hookgate.ingest;

/** Thrown while reading a notification that cannot be accepted; carries no stack trace (it is expected). */
final class RejectedNotification extends Exception {

    private final RejectionReason reason;

    RejectedNotification(RejectionReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    RejectionReason reason() {
        return reason;
    }
}
