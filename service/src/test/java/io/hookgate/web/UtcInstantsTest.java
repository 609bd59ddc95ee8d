package io.hookgate.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class UtcInstantsTest {

    @Test
    void aNotificationsTimesAreReadInBothFormsAirudderSends() {
        assertThat(UtcInstants.INSTANCE.parse("2024-03-11T03:20:30Z")).isEqualTo(Instant.parse("2024-03-11T03:20:30Z"));
        assertThat(UtcInstants.INSTANCE.parse("2024-03-11T10:20:30+07:00")).isEqualTo(Instant.parse("2024-03-11T03:20:30Z"));
        assertThat(UtcInstants.INSTANCE.parse("2024-03-11 10:19:27")).as("RedailCall's form, UTC by AIRUDDER's docs")
            .isEqualTo(Instant.parse("2024-03-11T10:19:27Z"));
    }

    @Test
    void anythingElseIsShownAsSent() {
        assertThat(UtcInstants.INSTANCE.parse("yesterday")).isNull();
        assertThat(UtcInstants.INSTANCE.parse(1710127230)).isNull();
        assertThat(UtcInstants.INSTANCE.parse(null)).isNull();
    }
}
