package io.hookgate.delivery;

/** How secret values (static header values) are shown once saved. */
public final class DestinationMasks {

    public static final String MASK = "••••••";

    private DestinationMasks() {
    }

    static boolean isMasked(String value) {
        return MASK.equals(value);
    }
}
