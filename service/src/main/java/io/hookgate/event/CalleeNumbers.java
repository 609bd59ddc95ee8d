package io.hookgate.event;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

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
     * {@code 81234567890}).
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
            return Optional.of(new Search(end, false, international(compact) ? national(compact) : List.of()));
        }
        String bare = compact.startsWith("+") ? compact.substring(1) : compact;
        return bare.isEmpty() ? Optional.empty() : Optional.of(new Search(bare, true));
    }

    private static boolean international(String compact) {
        return compact.startsWith("+") || compact.startsWith("00");
    }

    /**
     * The number's national forms, compact: as dialled within its country (with its trunk prefix, if it has one) and
     * its national significant number. Where the country code ends is the phone numbering plan's, not a guess.
     */
    private static List<String> national(String compact) {
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(compact.startsWith("00") ? "+" + compact.substring(2) : compact, "ZZ");
            String significant = PHONES.getNationalSignificantNumber(number);
            if (significant.length() < MIN_END) {
                return List.of();
            }
            return Stream.of(compact(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.NATIONAL)), significant)
                .filter(form -> form != null && !form.isEmpty()).distinct().toList();
        } catch (NumberParseException e) {
            return List.of(); // no country code known at its start: only the end is searched
        }
    }
}
