package io.hookgate.web;

import io.hookgate.delivery.DeliveryFilter;
import io.hookgate.delivery.Destination;
import io.hookgate.delivery.DestinationMasks;
import io.hookgate.delivery.DestinationSettings;
import io.hookgate.delivery.DestinationUrlPolicy;
import io.hookgate.delivery.RetryPolicy;
import io.hookgate.event.EventKind;
import io.hookgate.support.Problem;
import jakarta.ws.rs.core.MultivaluedMap;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The destination form as text fields, both ways. Filters are one condition per line
 * ({@code Details[].Status in finished, failed}; a value in double quotes stays text, a bare number is a number),
 * headers one {@code Name: value} per line.
 */
public record DestinationForm(String name, String url, boolean enabled, Set<String> kinds, String filter, String headers,
                              String timeoutMs, String maxAttempts, String backoffInitialMs, String backoffMultiplier,
                              String backoffMaxMs, String rateLimitPerSecond, String maxInFlight) {

    public static final List<String> ALL_KINDS = Arrays.stream(EventKind.values()).map(EventKind::wireName).toList();

    static DestinationForm blank() {
        RetryPolicy d = RetryPolicy.DEFAULT;
        return new DestinationForm("", "", true, Set.of(), "", "", String.valueOf(d.timeoutMs()), String.valueOf(d.maxAttempts()),
            String.valueOf(d.initialMs()), String.valueOf(d.multiplier()), String.valueOf(d.maxMs()), "",
            String.valueOf(DestinationSettings.DEFAULT_MAX_IN_FLIGHT));
    }

    static DestinationForm of(Destination d) {
        RetryPolicy r = d.retry();
        String filter = d.filter().map(f -> f.conditions().stream()
            .map(c -> c.field() + " in " + c.in().stream().map(DestinationForm::valueText).collect(Collectors.joining(", ")))
            .collect(Collectors.joining("\n"))).orElse("");
        String headers = d.headers().keySet().stream().sorted().map(name -> name + ": " + DestinationMasks.MASK).collect(Collectors.joining("\n"));
        return new DestinationForm(d.name(), d.url().toString(), d.enabled(), d.kinds().stream().map(EventKind::wireName).collect(Collectors.toSet()),
            filter, headers, String.valueOf(r.timeoutMs()), String.valueOf(r.maxAttempts()), String.valueOf(r.initialMs()),
            String.valueOf(r.multiplier()), String.valueOf(r.maxMs()), d.settings().rateLimitPerSecond().map(String::valueOf).orElse(""),
            String.valueOf(d.settings().maxInFlight()));
    }

    static DestinationForm read(MultivaluedMap<String, String> form) {
        return new DestinationForm(text(form, "name"), text(form, "url"), "on".equals(form.getFirst("enabled")),
            Set.copyOf(Optional.ofNullable(form.get("kinds")).orElse(List.of())), text(form, "filter"), text(form, "headers"),
            text(form, "timeoutMs"), text(form, "maxAttempts"), text(form, "backoffInitialMs"), text(form, "backoffMultiplier"),
            text(form, "backoffMaxMs"), text(form, "rateLimitPerSecond"), text(form, "maxInFlight"));
    }

    /** The settings, or {@link FieldErrors.Invalid} with the error of every field that has one. */
    DestinationSettings settings(DestinationUrlPolicy urls) {
        FieldErrors errors = new FieldErrors();
        Set<EventKind> kindSet = errors.check(this::kindSet, Set.of());
        URI validUrl = errors.check(() -> urls.validate(url), null);
        Optional<DeliveryFilter> validFilter = errors.check(() -> parseFilter(filter), Optional.empty());
        Map<String, String> validHeaders = errors.check(() -> parseHeaders(headers), Map.of());
        RetryPolicy d = RetryPolicy.DEFAULT;
        int before = errors.count();
        int timeout = errors.check(() -> integer("timeoutMs", timeoutMs), d.timeoutMs());
        int attempts = errors.check(() -> integer("maxAttempts", maxAttempts), d.maxAttempts());
        long initial = errors.check(() -> longValue("backoff.initialMs", backoffInitialMs), d.initialMs());
        double multiplier = errors.check(() -> decimal("backoff.multiplier", backoffMultiplier), d.multiplier());
        long max = errors.check(() -> longValue("backoff.maxMs", backoffMaxMs), d.maxMs());
        // bounds are checked on the values as typed: with one unreadable, its default would be compared with the others
        boolean allRead = errors.count() == before;
        List<Problem.Invalid> outOfBounds = allRead ? RetryPolicy.problems(timeout, attempts, initial, multiplier, max) : List.of();
        outOfBounds.forEach(errors::add);
        RetryPolicy retry = allRead && outOfBounds.isEmpty() ? new RetryPolicy(timeout, attempts, initial, multiplier, max) : d;
        Optional<Double> rate = errors.check(() -> rateLimitPerSecond.isBlank() ? Optional.<Double>empty()
            : Optional.of(decimal("rateLimitPerSecond", rateLimitPerSecond)), Optional.empty());
        int inFlight = errors.check(() -> integer("maxInFlight", maxInFlight), DestinationSettings.DEFAULT_MAX_IN_FLIGHT);
        DestinationSettings settings = errors.check(() -> new DestinationSettings(name, validUrl, enabled, kindSet, validFilter,
            validHeaders, retry, rate, inFlight), null);
        errors.throwIfAny();
        return settings;
    }

    private Set<EventKind> kindSet() {
        Set<EventKind> kindSet = EnumSet.noneOf(EventKind.class);
        for (String kind : kinds) {
            kindSet.add(EventKind.fromWireName(kind).orElseThrow(() -> new Problem.Invalid("kinds", "unknown kind " + kind)));
        }
        return kindSet.size() == EventKind.values().length ? Set.of() : kindSet;
    }

    static Optional<DeliveryFilter> parseFilter(String text) {
        List<DeliveryFilter.Condition> conditions = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int in = line.indexOf(" in ");
            if (in < 0) {
                throw new Problem.Invalid("filter", "line " + (i + 1) + " must read: field in value, value (e.g. Details[].Status in finished)");
            }
            List<Object> values = new ArrayList<>();
            for (String token : line.substring(in + 4).split(",")) {
                String v = token.strip();
                if (!v.isEmpty()) {
                    values.add(value(v));
                }
            }
            conditions.add(new DeliveryFilter.Condition(line.substring(0, in).strip(), values));
        }
        return conditions.isEmpty() ? Optional.empty() : Optional.of(new DeliveryFilter(conditions));
    }

    static Map<String, String> parseHeaders(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Problem.Invalid("headers", "line " + (i + 1) + " must read: Name: value");
            }
            headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static Object value(String token) {
        if (token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")) {
            return token.substring(1, token.length() - 1);
        }
        try {
            return token.contains(".") ? (Object) Double.parseDouble(token) : (Object) Long.parseLong(token);
        } catch (NumberFormatException text) {
            return token;
        }
    }

    private static String valueText(Object value) {
        return value instanceof String s && isNumeric(s) ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static boolean isNumeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int integer(String field, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, "must be a whole number");
        }
    }

    private static long longValue(String field, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, "must be a whole number of milliseconds");
        }
    }

    private static double decimal(String field, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new Problem.Invalid(field, "must be a number");
        }
    }

    private static String text(MultivaluedMap<String, String> form, String name) {
        String value = form.getFirst(name);
        return value == null ? "" : value;
    }

    /** Which form field an error belongs next to: "filter[0].field" goes to filter, "backoff.maxMs" to backoffMaxMs. */
    static String fieldOf(Problem.Invalid invalid) {
        String field = invalid.field();
        if (field.startsWith("backoff.")) { // each of the three has its own input: backoffInitialMs, backoffMultiplier, backoffMaxMs
            String setting = field.substring("backoff.".length());
            return "backoff" + Character.toUpperCase(setting.charAt(0)) + setting.substring(1);
        }
        int cut = field.length();
        for (char stop : new char[] {'[', '.'}) {
            int at = field.indexOf(stop);
            if (at > 0 && at < cut) {
                cut = at;
            }
        }
        return field.substring(0, cut);
    }
}
