package io.hookgate.support;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list read newest first, and the cursor of the next (older) page if there is one. Lists are read one
 * row beyond the page: that row says whether another page exists without counting the rest.
 */
public record KeysetPage<T, C>(List<T> items, Optional<C> next) {

    /** From {@code found}, read with a limit of {@code limit + 1}; the cursor is the last item's {@code key}. */
    public static <T, C> KeysetPage<T, C> of(List<T> found, int limit, Function<T, C> key) {
        if (found.size() <= limit) {
            return new KeysetPage<>(List.copyOf(found), Optional.empty());
        }
        List<T> page = List.copyOf(found.subList(0, limit));
        return new KeysetPage<>(page, Optional.of(key.apply(page.get(page.size() - 1))));
    }

    /** A cursor as a list's link or {@code nextCursor} gave it; absent when empty. */
    public static Optional<Long> cursor(String value) {
        try {
            return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty()).map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw new Problem.Invalid("cursor", "is not a cursor Hookgate gave: start again from the first page");
        }
    }
}
