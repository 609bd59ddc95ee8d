package io.hookgate.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A callee number as AIRUDDER sends it ({@code +86xxxxxxxx721}, or as the client's calling list spelt it, spaces and
 * dashes included) and as support types it, read from a ticket or a CRM: maybe with separators, maybe without the
 * leading + and the country code, maybe with a national 0 or an international 00 in front. Calls are stored compact,
 * so a search compares compact forms only, by the end of the number: {@code 0812-3456-7890} finds {@code +6281234567890};
 * and the other way, a number typed with its country code finds it sent in national form.
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
     * with or without a +, and {@code digits} is it without the +. {@code national}: for a number typed in international
     * form ({@code +62 812 3456 7890}), the national forms it may have been sent in, in full ({@code 081234567890},
     * {@code 81234567890}), one pair per length of country code (1 to 3 digits), as the code's length is not known.
     */
    public record Search(String digits, boolean whole, List<String> national) {

        public Search(String digits, boolean whole) {
            this(digits, whole, List.of());
        }

        /** Whether a number as sent (stored compact) is one this search finds, as the event search's query does. */
        public boolean matches(String sent) {
            String number = compact(sent);
            if (number == null) {
                return false;
            }
            if (whole) {
                return number.equals(digits) || number.equals("+" + digits);
            }
            return number.endsWith(digits) || national.contains(number);
        }
    }

    public static Optional<Search> search(String typed) {
        String compact = compact(typed);
        if (compact == null) {
            return Optional.empty();
        }
        String end = PREFIX.matcher(compact).replaceFirst("");
        if (end.length() >= MIN_END) {
            return Optional.of(new Search(end, false, international(compact) ? national(end) : List.of()));
        }
        String bare = compact.startsWith("+") ? compact.substring(1) : compact;
        return bare.isEmpty() ? Optional.empty() : Optional.of(new Search(bare, true));
    }

    private static boolean international(String compact) {
        return compact.startsWith("+") || compact.startsWith("00");
    }

    private static List<String> national(String digits) {
        List<String> forms = new ArrayList<>();
        for (int codeLength = 1; codeLength <= 3; codeLength++) {
            String rest = digits.substring(Math.min(codeLength, digits.length()));
            if (rest.length() >= MIN_END && rest.charAt(0) != '0') {
                forms.add("0" + rest); // with the national trunk prefix
                forms.add(rest);
            }
        }
        return List.copyOf(forms);
    }
}
