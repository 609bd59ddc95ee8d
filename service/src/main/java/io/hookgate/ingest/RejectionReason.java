package io.hookgate.ingest;

import io.hookgate.support.Problem;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Why an inbound notification was refused; the wire name is the {@code error} of the response body. */
public enum RejectionReason {
    UNKNOWN_TOKEN("unknown_callback"),
    UNKNOWN_KIND("unknown_kind"),
    TENANT_SUSPENDED("tenant_suspended"),
    BODY_TOO_LARGE("body_too_large"),
    INVALID_JSON("invalid_json"),
    MISSING_FIELD("missing_field"),
    KIND_MISMATCH("kind_mismatch"),
    BAD_SIGNATURE("bad_signature"),
    UNSIGNED_NOT_ACCEPTED("unsigned_not_accepted");

    private final String wireName;

    RejectionReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The reason of a search filter, by its wire name; refused with the names there are. */
    public static RejectionReason fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst().orElseThrow(() -> new Problem.Invalid("reason",
            "unknown reason " + name + "; use one of " + Arrays.stream(values()).map(RejectionReason::wireName).collect(Collectors.joining(", "))));
    }
}
