package io.hookgate.event;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A callee number as AIRUDDER sends it ({@code +86xxxxxxxx721}, or as the client's calling list spelt it, spaces and
 * dashes included) and as support types it, read from a ticket or a CRM: maybe with separators, maybe without the
 * leading + and the country code, maybe with a national 0 or an international 00 in front. Calls are stored compact,
 * so a search compares compact forms only, by the end of the number: {@code 0812-3456-7890} finds {@code +6281234567890}.
 */
public final class CalleeNumbers {

    /** From this length on, the end of a number finds it; a shorter one (an extension, a typo) must be all of it. */
    public static final int MIN_END = 6;
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");
    private static final Pattern PREFIX = Pattern.compile("^\\+?0*");

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

    /**
     * What a stored number must end with to be the one typed: the typed number compact, without its leading + or zeros.
     * {@code whole} when that is shorter than {@link #MIN_END}: then the stored number must be the typed one, compact,
     * with or without a +, and {@code digits} is it without the +.
     */
    public record Search(String digits, boolean whole) {
    }

    public static Optional<Search> search(String typed) {
        String compact = compact(typed);
        if (compact == null) {
            return Optional.empty();
        }
        String end = PREFIX.matcher(compact).replaceFirst("");
        if (end.length() >= MIN_END) {
            return Optional.of(new Search(end, false));
        }
        String bare = compact.startsWith("+") ? compact.substring(1) : compact;
        return bare.isEmpty() ? Optional.empty() : Optional.of(new Search(bare, true));
    }
}
