package io.hookgate.delivery;

import java.net.URI;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** How secret values (static header values, the credentials in a URL) are shown once saved. */
public final class DestinationMasks {

    public static final String MASK = "••••••";
    /**
     * A path segment that reads as a token (Slack's and Zapier's hook URLs carry theirs in the path): 16 characters or
     * more with a digit, or 20 or more letters in one run (a word of the path's shape has separators:
     * {@code incoming-notifications}).
     */
    private static final Pattern TOKEN_SEGMENT = Pattern.compile("(?=.*\\d)[A-Za-z0-9._~%-]{16,}|[A-Za-z]{20,}");

    private DestinationMasks() {
    }

    static boolean isMasked(String value) {
        return MASK.equals(value);
    }

    /** A destination's URL as shown to someone who {@code manages} its tenant (in full), or only sees it. */
    public static String url(URI url, boolean manages) {
        return manages ? url.toString() : forViewer(url);
    }

    /**
     * A destination's URL for those who may see the destination but not manage it (support): receivers' credentials
     * often travel in the URL, so its query values and the path segments that look like tokens are
     * masked (a token keeps its last four characters, as the callback URL does). Scheme, host, port and the path's
     * shape stay: what finding a receiver needs.
     */
    static String forViewer(URI url) {
        // no user info: DestinationUrlPolicy refuses it
        StringBuilder shown = new StringBuilder(url.getScheme()).append("://").append(url.getHost());
        if (url.getPort() != -1) {
            shown.append(':').append(url.getPort());
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        shown.append(Stream.of(path.split("/", -1)).map(DestinationMasks::segment).collect(Collectors.joining("/")));
        if (url.getRawQuery() != null) {
            shown.append('?').append(Stream.of(url.getRawQuery().split("&", -1))
                .map(pair -> pair.isEmpty() ? pair : pair.contains("=") ? pair.substring(0, pair.indexOf('=') + 1) + MASK : MASK)
                .collect(Collectors.joining("&")));
        }
        return shown.toString();
    }

    /** A segment's {@code ;name=value} parameters (a session id, a key) are masked like query values. */
    private static String segment(String segment) {
        int parameters = segment.indexOf(';');
        if (parameters >= 0) {
            return segment(segment.substring(0, parameters)) + Stream.of(segment.substring(parameters + 1).split(";", -1))
                .map(p -> ";" + (p.contains("=") ? p.substring(0, p.indexOf('=') + 1) + MASK : p.isEmpty() ? p : MASK))
                .collect(Collectors.joining());
        }
        return TOKEN_SEGMENT.matcher(segment).matches() ? MASK + segment.substring(segment.length() - 4) : segment;
    }
}
