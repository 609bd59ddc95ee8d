package io.hookgate.ingest;

import java.util.Arrays;
import java.util.Optional;

/** Why an inbound notification was refused; the wire name is the {@code error} of the response body. */
public enum RejectionReason {
    UNKNOWN_TOKEN("unknown_callback"),
    UNKNOWN_KIND("unknown_kind"),
    TENANT_SUSPENDED("tenant_suspended"),
    BODY_TOO_LARGE("body_too_large"),
    INVALID_JSON("invalid_json"),
    MISSING_FIELD("missing_field"),
    BAD_SIGNATURE("bad_signature"),
    UNSIGNED_NOT_ACCEPTED("unsigned_not_accepted");

    private final String wireName;

    RejectionReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<RejectionReason> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
    }
}
