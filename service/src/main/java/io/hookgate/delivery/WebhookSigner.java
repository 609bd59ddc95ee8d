package io.hookgate.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks signatures: {@code v1,} + base64 HMAC-SHA256 of {@code {id}.{timestamp}.{body}}, keyed with the
 * decoded bytes of a {@code whsec_} secret. During a secret rotation both signatures are sent, space-separated.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSigner() {
    }

    public static String signatures(String webhookId, long timestampSeconds, byte[] body, List<String> secrets) {
        return secrets.stream().map(secret -> "v1," + sign(webhookId, timestampSeconds, body, secret)).collect(Collectors.joining(" "));
    }

    static String sign(String webhookId, long timestampSeconds, byte[] body, String secret) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the JDK spec", e);
        }
    }
}
