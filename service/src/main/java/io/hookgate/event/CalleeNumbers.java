package io.hookgate.event;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A callee number as AIRUDDER sends it ({@code +86xxxxxxxx721}, or as the client's calling list spelt it, spaces and
 * dashes included) and as support types it, read from a ticket or a CRM: maybe with separators, maybe without the
 * leading +. Calls are stored compact, so a search compares compact forms only.
 */
public final class CalleeNumbers {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");

    private CalleeNumbers() {
    }

    /** The number without separators, as stored; null for none. */
    public static String compact(String number) {
        if (number == null) {
            return null;
        }
        String compact = SEPARATORS.matcher(number).replaceAll("");
        return compact.isEmpty() ? null : compact;
    }

    /** The typed number compact, with and without a leading +. */
    public static List<String> searchForms(String typed) {
        String compact = compact(typed);
        if (compact == null) {
            return List.of();
        }
        String bare = compact.startsWith("+") ? compact.substring(1) : compact;
        return Stream.of(compact, "+" + bare, bare).filter(s -> !s.isEmpty() && !s.equals("+")).distinct().toList();
    }
}
