package io.hookgate.web;

import io.hookgate.support.Problem;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading form fields and query parameters of the UI, with errors that name the field. */
final class FormValues {

    private FormValues() {
    }

    /** The value without surrounding blanks, if there is one. */
    static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The value without surrounding blanks, "" when absent: what a form field shows again. */
    static String text(String value) {
        return value == null ? "" : value.strip();
    }

    static long number(String field, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, "must be a number");
        }
    }

    /** A number of hours, such as a grace period; absent when left empty. */
    static Optional<Double> hours(String field, String value) {
        try {
            return present(value).map(Double::parseDouble);
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, "must be a number of hours");
        }
    }

    /** An instant as a {@code datetime-local} field shows it, in UTC: the inverse of {@link #utc}. */
    static String utcText(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** A {@code datetime-local} field, read as UTC. */
    static Optional<Instant> utc(String field, String value) {
        try {
            return present(value).map(v -> LocalDateTime.parse(v).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new Problem.Invalid(field, "must be a date and time such as 2024-03-11T03:20 (UTC)");
        }
    }
}
