package io.hookgate.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an update changed, as its audit entry lists it under {@code "changes"}: each field that differs, in the
 * order compared, as {@code {"field", "from", "to"}}, or {@code {"field", "change"}} for a value too secret to show.
 * The audit page shows each as a line.
 */
public final class AuditChanges {

    private final List<Map<String, Object>> changes = new ArrayList<>();

    public AuditChanges compare(String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("from", from);
            values.put("to", to);
            add(field, values);
        }
        return this;
    }

    /** A change named without its values ("added", "changed", "removed"). */
    public AuditChanges named(String field, String change) {
        add(field, Map.of("change", change));
        return this;
    }

    public List<Map<String, Object>> list() {
        return List.copyOf(changes);
    }

    private void add(String field, Map<String, Object> what) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("field", field);
        change.putAll(what);
        changes.add(change);
    }
}
