package io.hookgate.auth;

import io.hookgate.support.Problem;

import java.nio.charset.StandardCharsets;

final class PasswordPolicy {

    static final int MIN_CHARS = 10;
    /** bcrypt reads at most 72 bytes; longer passwords would be silently cut. */
    static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    static String check(String password) {
        if (password == null || password.length() < MIN_CHARS) {
            throw new Problem.Invalid("password", "must be at least " + MIN_CHARS + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new Problem.Invalid("password", "must be at most " + MAX_BYTES + " bytes in UTF-8");
        }
        return password;
    }
}
