package io.hookgate.delivery;

import io.hookgate.event.EventKind;
import io.hookgate.support.Problem;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** What a tenant admin sets on a destination. An empty {@code kinds} means every kind. */
public record DestinationSettings(String name, URI url, boolean enabled, Set<EventKind> kinds, Optional<DeliveryFilter> filter,
                                  Map<String, String> headers, RetryPolicy retry, Optional<Double> rateLimitPerSecond,
                                  int maxInFlight) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    /** Set by Hookgate itself, or by the HTTP client: a static header may not replace them. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "connection", "expect",
        "upgrade", "transfer-encoding", "te", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature",
        "x-hookgate-tenant", "x-hookgate-event-kind");

    public DestinationSettings {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw new Problem.Invalid("name", "is required, 1 to 200 characters");
        }
        name = name.strip();
        kinds = Set.copyOf(kinds);
        headers = Map.copyOf(headers);
        if (headers.size() > 50) {
            throw new Problem.Invalid("headers", "at most 50 headers");
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                throw new Problem.Invalid("headers", "\"" + header.getKey() + "\" is not a valid header name");
            }
            if (RESERVED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                throw new Problem.Invalid("headers", header.getKey() + " is set by Hookgate and cannot be configured");
            }
            String value = header.getValue();
            if (value == null || value.length() > 4096 || !(DestinationMasks.isMasked(value) || sendable(value))) {
                throw new Problem.Invalid("headers", "the value of " + header.getKey() + " must be one line of at most 4096 characters, "
                    + "printable ASCII or Latin-1 (what an HTTP header can carry)");
            }
        }
        if (rateLimitPerSecond.isPresent() && !(rateLimitPerSecond.get() > 0 && rateLimitPerSecond.get() <= 10_000)) {
            throw new Problem.Invalid("rateLimitPerSecond", "must be above 0 and at most 10000");
        }
        if (maxInFlight < 1 || maxInFlight > 256) {
            throw new Problem.Invalid("maxInFlight", "must be between 1 and 256");
        }
    }

    /**
     * Whether an HTTP client can send this header value (RFC 9110 field-value: visible ASCII, space, tab, obs-text).
     * Anything else would fail every attempt, so it is refused when saved. The mask placeholder is let through
     * here: {@link DestinationService} replaces it with the stored value, or refuses it if there is none.
     */
    static boolean sendable(String value) {
        return value.chars().allMatch(c -> c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e) || (c >= 0x80 && c <= 0xff));
    }
}
