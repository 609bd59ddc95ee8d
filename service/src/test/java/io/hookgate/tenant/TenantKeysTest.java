package io.hookgate.tenant;

import io.hookgate.support.Problem;
import io.hookgate.support.RandomTokens;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantKeysTest {

    private final TenantKeys keys = new TenantKeys(new RandomTokens(new SecureRandom()));

    @Test
    void generatedKeysAreLongPrintableAndDistinct() {
        String key = keys.generate();
        assertThat(key).hasSize(32).matches("[A-Za-z0-9_-]+").isNotEqualTo(keys.generate());
        assertThat(keys.newCallbackToken()).hasSize(32).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void suppliedKeyIsKeptWhenAcceptable() {
        assertThat(keys.supplyOrGenerate(Optional.of("agency-key-2024!"))).isEqualTo("agency-key-2024!");
    }

    @Test
    void airudderDefaultShortOrUnprintableKeysAreRefused() {
        assertThatThrownBy(() -> keys.supplyOrGenerate(Optional.of("airudder"))).isInstanceOf(Problem.Invalid.class)
            .hasMessageContaining("published default");
        assertThatThrownBy(() -> keys.supplyOrGenerate(Optional.of("short"))).hasMessageContaining("8 to 256");
        assertThatThrownBy(() -> keys.supplyOrGenerate(Optional.of("has a space"))).hasMessageContaining("printable");
    }
}
