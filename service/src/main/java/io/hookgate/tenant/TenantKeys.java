package io.hookgate.tenant;

import io.hookgate.support.Problem;
import io.hookgate.support.RandomTokens;

import java.util.Optional;

/** Generates KEYs and checks the ones an agency brings from an existing AIRUDDER configuration. */
public final class TenantKeys {

    /** AIRUDDER's documented default KEY: anyone can sign with it. */
    public static final String AIRUDDER_DEFAULT_KEY = "airudder";
    private static final int GENERATED_BYTES = 24; // 192 bits, 32 base64url characters

    private final RandomTokens random;

    public TenantKeys(RandomTokens random) {
        this.random = random;
    }

    public String generate() {
        return random.urlSafe(GENERATED_BYTES);
    }

    public String newCallbackToken() {
        return random.urlSafe(GENERATED_BYTES);
    }

    /** The supplied KEY if acceptable, else a generated one. */
    public String supplyOrGenerate(Optional<String> supplied) {
        if (supplied.isEmpty()) {
            return generate();
        }
        String key = supplied.get();
        if (key.length() < 8 || key.length() > 256) {
            throw new Problem.Invalid("key", "must be 8 to 256 characters long");
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new Problem.Invalid("key", "must be printable ASCII without spaces, as AIRUDDER's configuration takes it");
        }
        if (key.equalsIgnoreCase(AIRUDDER_DEFAULT_KEY)) {
            throw new Problem.Invalid("key", "\"airudder\" is AIRUDDER's published default KEY, so anyone could sign with it; "
                + "give no KEY to have a strong one generated, and enter that in AIRUDDER");
        }
        return key;
    }
}
