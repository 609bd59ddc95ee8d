package io.hookgate.api;

import io.hookgate.support.Problem;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

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

    /** {@code true} or {@code false}; anything else is refused rather than read as false. */
    static Optional<Boolean> bool(String name, String value) {
        return present(value).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Problem.Invalid(name, "must be true or false");
        });
    }
}
