package io.hookgate.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AirudderSignatureTest {

    private static final byte[] DEFAULT_KEY = "airudder".getBytes(StandardCharsets.UTF_8);

    @Test
    void publishedVectorSignsAsAirudderDocuments() {
        assertThat(AirudderSignature.sign("ac23fa05005e59b92e0b8a19fa5faf07", DEFAULT_KEY))
            .isEqualTo("4d6017151d678e816c678d90e56e6e28");
    }

    @Test
    void publishedVectorVerifies() {
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf07", "4d6017151d678e816c678d90e56e6e28", DEFAULT_KEY)).isTrue();
    }

    @Test
    void uppercaseHexOfTheRightDigestStillVerifies() {
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf07", "4D6017151D678E816C678D90E56E6E28", DEFAULT_KEY)).isTrue();
    }

    @Test
    void anotherKeyOrTaskOrTruncatedSignDoesNotVerify() {
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf07", "4d6017151d678e816c678d90e56e6e28",
            "other".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf08", "4d6017151d678e816c678d90e56e6e28", DEFAULT_KEY)).isFalse();
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf07", "4d6017151d678e816c678d90e56e6e2", DEFAULT_KEY)).isFalse();
        assertThat(AirudderSignature.matches("ac23fa05005e59b92e0b8a19fa5faf07", null, DEFAULT_KEY)).isFalse();
    }

    @Test
    void taskIdAndKeyAreSignedAsUtf8() {
        String sign = AirudderSignature.sign("tâche-é", "clé".getBytes(StandardCharsets.UTF_8));
        // md5 of the UTF-8 bytes of "tâche-éclé", computed independently with md5sum
        assertThat(sign).isEqualTo("06d7f016b1c0f78166aac3ee71866c9a");
        assertThat(AirudderSignature.matches("tâche-é", sign, "clé".getBytes(StandardCharsets.UTF_8))).isTrue();
    }
}
