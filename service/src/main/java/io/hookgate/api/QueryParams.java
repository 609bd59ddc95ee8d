package io.hookgate.api;

import io.hookgate.support.Problem;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reading optional query parameters, with errors that name the parameter. */
final class QueryParams {

    private QueryParams() {
    }

    static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    static Optional<Instant> instant(String name, String value) {
        try {
            return present(value).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid(name, "must be an ISO-8601 instant such as 2024-03-11T03:20:30Z");
        }
    }

    static Optional<Long> cursor(String value) {
        try {
            return present(value).map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw new Problem.Invalid("cursor", "is not a cursor this API returned");
        }
    }

    /** {@code true} or {@code false}; anything else is refused rather than read as false. */
    static Optional<Boolean> bool(String name, String value) {
        return present(value).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Problem.Invalid(name, "must be true or false");
        });
    }

    /**
     * Refuses a parameter the search does not know (ignored, a misspelt filter would match everything) and one given
     * more than once.
     */
    static void refuseUnknown(UriInfo uri, Set<String> filters, Set<String> extra) {
        // one value is read: a second one (taskId=a&taskId=b) would be dropped without a word
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                throw new Problem.Invalid(name, "is given " + values.size() + " times; give it once");
            }
        });
        Set<String> unknown = new TreeSet<>(uri.getQueryParameters().keySet());
        unknown.removeAll(filters);
        unknown.removeAll(extra);
        if (!unknown.isEmpty()) {
            Set<String> accepted = new TreeSet<>(filters);
            accepted.addAll(extra);
            throw new Problem.Invalid(unknown.iterator().next(), "is not a search parameter; use " + String.join(", ", accepted));
        }
    }
}
