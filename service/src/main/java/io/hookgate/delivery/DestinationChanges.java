package io.hookgate.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an update changed, for the audit log: each setting that differs, in the form's order, as
 * {@code {"field": "url", "from": …, "to": …}}. Static header values are secrets (tokens, passwords), so a header
 * is named with only {@code "change": "added" | "changed" | "removed"}.
 */
final class DestinationChanges {

    private DestinationChanges() {
    }

    static List<Map<String, Object>> between(DestinationSettings before, DestinationSettings after) {
        List<Map<String, Object>> changes = new ArrayList<>();
        compare(changes, "name", before.name(), after.name());
        compare(changes, "url", before.url().toString(), after.url().toString());
        compare(changes, "enabled", before.enabled(), after.enabled());
        compare(changes, "kinds", kinds(before), kinds(after));
        compare(changes, "filter", filter(before.filter()), filter(after.filter()));
        for (String name : union(before.headers(), after.headers())) {
            String was = before.headers().get(name);
            String is = after.headers().get(name);
            if (!Objects.equals(was, is)) {
                changes.add(change("headers." + name, Map.of("change", was == null ? "added" : is == null ? "removed" : "changed")));
            }
        }
        RetryPolicy was = before.retry();
        RetryPolicy is = after.retry();
        compare(changes, "timeoutMs", was.timeoutMs(), is.timeoutMs());
        compare(changes, "maxAttempts", was.maxAttempts(), is.maxAttempts());
        compare(changes, "backoff.initialMs", was.initialMs(), is.initialMs());
        compare(changes, "backoff.multiplier", was.multiplier(), is.multiplier());
        compare(changes, "backoff.maxMs", was.maxMs(), is.maxMs());
        compare(changes, "rateLimitPerSecond", before.rateLimitPerSecond().orElse(null), after.rateLimitPerSecond().orElse(null));
        compare(changes, "maxInFlight", before.maxInFlight(), after.maxInFlight());
        return changes;
    }

    private static void compare(List<Map<String, Object>> changes, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("from", from);
            values.put("to", to);
            changes.add(change(field, values));
        }
    }

    private static Map<String, Object> change(String field, Map<String, Object> what) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("field", field);
        change.putAll(what);
        return change;
    }

    private static String kinds(DestinationSettings settings) {
        return settings.kinds().isEmpty() ? "all"
            : settings.kinds().stream().map(k -> k.wireName()).sorted().collect(Collectors.joining(", "));
    }

    /** One condition per "; ", as the form writes them: {@code Details[].Status in finished, failed}. */
    private static String filter(Optional<DeliveryFilter> filter) {
        return filter.map(f -> f.conditions().stream()
            .map(c -> c.field() + " in " + c.in().stream().map(String::valueOf).collect(Collectors.joining(", ")))
            .collect(Collectors.joining("; "))).orElse(null);
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        return names;
    }
}
