package io.hookgate.event;

import java.util.List;
import java.util.stream.Stream;

/**
 * A callee number as support types it, read from a customer's ticket or a CRM: maybe with spaces, dashes or
 * brackets, maybe without the leading + that AIRUDDER sends ({@code +86xxxxxxxx721}). Calls are stored as AIRUDDER
 * sent them, so a search looks for each form the typed number may have there.
 */
public final class CalleeNumbers {

    private CalleeNumbers() {
    }

    /** As typed, without separators, and with and without a leading +. */
    public static List<String> searchForms(String typed) {
        String trimmed = typed.strip();
        String compact = trimmed.replaceAll("[\\s().-]", "");
        String bare = compact.startsWith("+") ? compact.substring(1) : compact;
        return Stream.of(trimmed, compact, "+" + bare, bare).filter(s -> !s.isEmpty() && !s.equals("+")).distinct().toList();
    }
}
