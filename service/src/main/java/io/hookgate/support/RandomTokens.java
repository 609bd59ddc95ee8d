package io.hookgate.support;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable URL-safe strings: callback tokens, generated KEYs, API tokens. */
public final class RandomTokens {

    private final SecureRandom random;

    public RandomTokens(SecureRandom random) {
        this.random = random;
    }

    /** {@code bytes} random bytes as unpadded base64url (printable, URL-safe). */
    public String urlSafe(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(this.bytes(bytes));
    }

    public byte[] bytes(int count) {
        byte[] out = new byte[count];
        random.nextBytes(out);
        return out;
    }
}
