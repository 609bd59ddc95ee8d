package io.hookgate.web;

import io.hookgate.support.Problem;

import java.util.Map;

/** A domain refusal as a person reads it next to a form: the field's label, then what to fix. */
final class FormErrors {

    private static final Map<String, String> LABELS = Map.of(
        "email", "Email",
        "password", "Password",
        "role", "Role",
        "tenantId", "Tenant",
        "tenant", "Tenant",
        "action", "Action",
        "actor", "Actor email",
        "from", "From",
        "to", "To",
        "before", "Page");

    private FormErrors() {
    }

    static String message(Problem.Invalid invalid) {
        String field = invalid.field();
        String text = invalid.getMessage();
        String prefix = field + ": ";
        String what = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
        return LABELS.getOrDefault(field, field) + ": " + what;
    }
}
