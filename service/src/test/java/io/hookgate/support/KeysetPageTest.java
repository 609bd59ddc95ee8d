package io.hookgate.support;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeysetPageTest {

    @Test
    void aRowBeyondTheLimitMeansAnotherPageThatStartsAfterTheLastShown() {
        KeysetPage<Integer, Integer> page = KeysetPage.of(List.of(9, 8, 7, 6), 3, n -> n);
        assertThat(page.items()).containsExactly(9, 8, 7);
        assertThat(page.next()).contains(7);
    }

    @Test
    void aFullLastPageHasNoNextPage() {
        KeysetPage<Integer, Integer> page = KeysetPage.of(List.of(9, 8, 7), 3, n -> n);
        assertThat(page.items()).containsExactly(9, 8, 7);
        assertThat(page.next()).isEmpty();
    }
}
