package io.hookgate.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    private final SecretBox box = new SecretBox(new byte[32], new SecureRandom());

    @Test
    void sealedSecretOpensToTheSameText() {
        assertThat(box.open(box.seal("KEY-ünïcode-123"))).isEqualTo("KEY-ünïcode-123");
    }

    @Test
    void sealingTwiceGivesDifferentCiphertextsWithoutThePlaintext() {
        byte[] first = box.seal("airudder-key");
        byte[] second = box.seal("airudder-key");
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("airudder-key");
    }

    @Test
    void tamperedOrForeignCiphertextIsRefused() {
        byte[] sealed = box.seal("secret");
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(sealed)).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new SecretBox(otherKey, new SecureRandom()).open(box.seal("secret")))
            .hasMessageContaining("HOOKGATE_MASTER_KEY");
    }
}
