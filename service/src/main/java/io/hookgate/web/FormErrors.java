package io.hookgate.web;

import io.hookgate.support.Problem;

import java.util.Map;

/** A domain refusal as a person reads it next to a form: the field's label, then what to fix. */
final class FormErrors {

    private static final Map<String, String> LABELS = Map.ofEntries(
        Map.entry("email", "Email"),
        Map.entry("password", "Password"),
        Map.entry("role", "Role"),
        Map.entry("tenantId", "Tenant"),
        Map.entry("tenant", "Tenant"),
        Map.entry("action", "Action"),
        Map.entry("actor", "Actor email"),
        Map.entry("from", "From"),
        Map.entry("to", "To"),
        Map.entry("before", "Page"),
        Map.entry("name", "Name"),
        Map.entry("key", "KEY"),
        Map.entry("graceHours", "Grace period"),
        Map.entry("lastStatus", "Last status"),
        Map.entry("url", "URL"),
        Map.entry("timeoutMs", "Timeout"),
        Map.entry("maxAttempts", "Attempts in all"),
        Map.entry("maxInFlight", "Max in flight"),
        Map.entry("backoff.initialMs", "First retry after"),
        Map.entry("backoff.multiplier", "Multiplier"),
        Map.entry("backoff.maxMs", "Longest wait"),
        Map.entry("rateLimitPerSecond", "Rate limit"),
        Map.entry("headers", "Headers"),
        Map.entry("filter", "Filter"),
        Map.entry("kinds", "Kinds"),
        Map.entry("taskId", "TaskID"),
        Map.entry("callId", "CallID"),
        Map.entry("caseId", "CaseID"),
        Map.entry("callee", "Callee number"),
        Map.entry("kind", "Kind"),
        Map.entry("reason", "Reason"),
        Map.entry("retentionDays", "Retention"),
        Map.entry("limit", "Page size"));

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
