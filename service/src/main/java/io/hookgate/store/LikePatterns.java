package io.hookgate.store;

/** Text searched with LIKE: a person typing "_" or "%" means the character, not a wildcard. */
public final class LikePatterns {

    private LikePatterns() {
    }

    /** {@code text} escaped with backslashes, LIKE's default escape character, so that it matches literally. */
    public static String literal(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
