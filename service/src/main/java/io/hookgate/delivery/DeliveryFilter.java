package io.hookgate.delivery;

import io.hookgate.support.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which events of its kinds a destination receives: every condition must hold. A condition names a payload
 * field by path ({@code workflow_id}, {@code Details[].Status}: {@code []} means "any element of the array") and
 * the values it may have. {@code Details[].Intention in [A, B]} holds when any call's Intention is A or B.
 * <p>
 * The filter is compiled to a PostgreSQL jsonpath predicate, so the outbox evaluates it inside the transaction
 * that stores the event.
 */
public record DeliveryFilter(List<Condition> conditions) {

    static final int MAX_CONDITIONS = 20;
    static final int MAX_VALUES = 100;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_$-]{1,100}(\\[\\])?");

    /** {@code field} is a dotted path; each value a string, number or boolean (as JSON text). */
    public record Condition(String field, List<Object> in) {
    }

    public DeliveryFilter {
        if (conditions.isEmpty() || conditions.size() > MAX_CONDITIONS) {
            throw new Problem.Invalid("filter", "takes 1 to " + MAX_CONDITIONS + " conditions");
        }
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            String where = "filter[" + i + "]";
            if (c.field() == null || c.field().isBlank()) {
                throw new Problem.Invalid(where + ".field", "is required, e.g. Details[].Status");
            }
            for (String segment : c.field().split("\\.", -1)) {
                if (!SEGMENT.matcher(segment).matches()) {
                    throw new Problem.Invalid(where + ".field", "\"" + c.field() + "\" is not a path like workflow_id or Details[].Status");
                }
            }
            if (c.in() == null || c.in().isEmpty() || c.in().size() > MAX_VALUES) {
                throw new Problem.Invalid(where + ".in", "takes 1 to " + MAX_VALUES + " values");
            }
            for (Object value : c.in()) {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new Problem.Invalid(where + ".in", "values must be strings, numbers or booleans");
                }
            }
        }
        conditions = List.copyOf(conditions);
    }

    /** {@code $ ? (exists(@."Details"[*]."Status" ? (@ == "finished")) && …)}. */
    public String toJsonPath() {
        List<String> parts = new ArrayList<>();
        for (Condition c : conditions) {
            StringBuilder path = new StringBuilder("@");
            for (String segment : c.field().split("\\.")) {
                boolean array = segment.endsWith("[]");
                String name = array ? segment.substring(0, segment.length() - 2) : segment;
                path.append('.').append(quote(name));
                if (array) {
                    path.append("[*]");
                }
            }
            List<String> alternatives = new ArrayList<>();
            for (Object value : c.in()) {
                alternatives.add("@ == " + (value instanceof String s ? quote(s) : value.toString()));
            }
            parts.add("exists(" + path + " ? (" + String.join(" || ", alternatives) + "))");
        }
        return "$ ? (" + String.join(" && ", parts) + ")";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
