package io.hookgate.delivery;

import io.hookgate.audit.AuditChanges;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a destination update changed, for the audit log: each setting that differs, in the form's order. Static
 * header values are secrets (tokens, passwords), so a header is named with only "added", "changed" or "removed", and
 * the URL is shown without the credentials it may carry.
 */
final class DestinationChanges {

    private DestinationChanges() {
    }

    static List<Map<String, Object>> between(DestinationSettings before, DestinationSettings after) {
        AuditChanges changes = new AuditChanges().compare("name", before.name(), after.name());
        // the log is read by support too: URLs as they see them, and a change only to the credentials said so
        String urlWas = DestinationMasks.forViewer(before.url());
        String urlIs = DestinationMasks.forViewer(after.url());
        if (urlWas.equals(urlIs) && !before.url().equals(after.url())) {
            changes.named("url", "credentials changed");
        } else {
            changes.compare("url", urlWas, urlIs);
        }
        changes.compare("enabled", before.enabled(), after.enabled())
            .compare("kinds", kinds(before), kinds(after))
            .compare("filter", filter(before.filter()), filter(after.filter()));
        for (String name : union(before.headers(), after.headers())) {
            String was = before.headers().get(name);
            String is = after.headers().get(name);
            if (!Objects.equals(was, is)) {
                changes.named("headers." + name, was == null ? "added" : is == null ? "removed" : "changed");
            }
        }
        RetryPolicy was = before.retry();
        RetryPolicy is = after.retry();
        return changes.compare("timeoutMs", was.timeoutMs(), is.timeoutMs())
            .compare("maxAttempts", was.maxAttempts(), is.maxAttempts())
            .compare("backoff.initialMs", was.initialMs(), is.initialMs())
            .compare("backoff.multiplier", was.multiplier(), is.multiplier())
            .compare("backoff.maxMs", was.maxMs(), is.maxMs())
            .compare("rateLimitPerSecond", before.rateLimitPerSecond().orElse(null), after.rateLimitPerSecond().orElse(null))
            .compare("maxInFlight", before.maxInFlight(), after.maxInFlight())
            .list();
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
