package io.hookgate.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A page's address with its query, each value encoded as it was typed. Not JAX-RS's UriBuilder: it reads "{…}" in a
 * value as a template variable (a TaskID with braces made the page fail) and keeps "%41" as if already encoded.
 */
record PageLink(String path, String query) {

    static PageLink to(String path) {
        return new PageLink(path, "");
    }

    PageLink with(String name, Object value) {
        String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
        return new PageLink(path, query.isEmpty() ? pair : query + "&" + pair);
    }

    /** With the value only if there is one: a filter left empty stays out of the address. */
    PageLink withPresent(String name, String value) {
        return value == null || value.isEmpty() ? this : with(name, value);
    }

    @Override
    public String toString() {
        return query.isEmpty() ? path : path + "?" + query;
    }
}
