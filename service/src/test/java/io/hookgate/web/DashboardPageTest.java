package io.hookgate.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardPageTest {

    @Test
    void durationsAreWrittenAsPeopleReadThemAtAGlance() {
        assertThat(DashboardPage.spoken(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(DashboardPage.spoken(Duration.ofMillis(4240))).isEqualTo("4.2 s");
        assertThat(DashboardPage.spoken(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(DashboardPage.spoken(Duration.ofSeconds(12 * 60 + 30))).isEqualTo("12 min");
        assertThat(DashboardPage.spoken(Duration.ofHours(1))).isEqualTo("1 h");
        assertThat(DashboardPage.spoken(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
    }
}
