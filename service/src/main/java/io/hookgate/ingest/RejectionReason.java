package io.hookgate.ingest;

import io.hookgate.support.Problem;

import java.util.Arrays;
import java.util.List;
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

    /** The reasons a rejection is recorded with: a request no tenant's callback URL has belongs to no tenant. */
    public static List<RejectionReason> recorded() {
        return Arrays.stream(values()).filter(r -> r != UNKNOWN_TOKEN).toList();
    }

    /** The reason of a search filter, by its wire name; refused with the names there are. */
    public static RejectionReason fromWireName(String name) {
        if (UNKNOWN_TOKEN.wireName.equals(name)) {
            throw new Problem.Invalid("reason", "requests to a callback URL no tenant has belong to no tenant and are not "
                + "recorded; they are counted in hookgate_ingest_notifications_total{outcome=\"unknown_callback\"}");
        }
        return recorded().stream().filter(r -> r.wireName.equals(name)).findFirst().orElseThrow(() -> new Problem.Invalid("reason",
            "unknown reason " + name + "; use one of " + recorded().stream().map(RejectionReason::wireName).collect(Collectors.joining(", "))));
    }
}
