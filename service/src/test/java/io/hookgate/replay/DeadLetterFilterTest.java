package io.hookgate.replay;

import io.hookgate.support.Problem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterFilterTest {

    private static Optional<String> lastStatus(String typed) {
        return new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(typed),
            Optional.empty()).lastStatus();
    }

    @Test
    void lastStatusTakesAStatusCodeOrAnErrorKindAsSupportTypesThem() {
        assertThat(lastStatus("HTTP 503")).contains("503");
        assertThat(lastStatus(" http503 ")).contains("503");
        assertThat(lastStatus("Timeout")).contains("timeout");
        assertThat(lastStatus("CONNECTION_REFUSED")).contains("connection_refused");
        assertThat(lastStatus("  ")).isEmpty();
    }

    @Test
    void lastStatusThatIsNeitherIsRefusedNamingTheField() {
        assertThatThrownBy(() -> lastStatus("HTTP 999")).isInstanceOfSatisfying(Problem.Invalid.class,
            problem -> assertThat(problem.field()).isEqualTo("lastStatus"));
        assertThatThrownBy(() -> lastStatus("time out")).isInstanceOf(Problem.Invalid.class);
    }
}
