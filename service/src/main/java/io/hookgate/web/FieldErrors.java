package io.hookgate.web;

import io.hookgate.support.Problem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Every field's error of one submit, so that a form shows them all at once instead of one per try. */
final class FieldErrors {

    private final Map<String, String> errors = new LinkedHashMap<>();

    /** The parsed value, or {@code fallback} (which lets later checks run) with the field's error noted. */
    <T> T check(Supplier<T> parse, T fallback) {
        try {
            return parse.get();
        } catch (Problem.Invalid e) {
            add(e);
            return fallback;
        }
    }

    /** A field's error found otherwise than by parsing it (the first one noted for a field is kept). */
    void add(Problem.Invalid invalid) {
        errors.putIfAbsent(DestinationForm.fieldOf(invalid), FormErrors.message(invalid));
    }

    /** How many fields have an error so far. */
    int count() {
        return errors.size();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new Invalid(Map.copyOf(errors));
        }
    }

    /** The form's errors, by field. */
    static final class Invalid extends RuntimeException {
        private final Map<String, String> byField;

        Invalid(Map<String, String> byField) {
            super(String.join("; ", byField.values()), null, false, false);
            this.byField = byField;
        }

        Map<String, String> byField() {
            return byField;
        }
    }
}
