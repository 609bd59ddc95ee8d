package io.hookgate.api;

import io.hookgate.support.KeysetPage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A page as every paged list of the API answers it: {@code {"items", "nextCursor"}}, newest first. */
final class PageJson {

    private PageJson() {
    }

    /** {@code nextCursor} is null on the last page; a script passes it back as {@code cursor} for the next one. */
    static <T, C> Map<String, Object> of(KeysetPage<T, C> page, Function<T, ?> item) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(item).toList());
        body.put("nextCursor", page.next().map(String::valueOf).orElse(null));
        return body;
    }
}
