package io.hookgate.web;

import io.hookgate.auth.Actor;
import io.hookgate.auth.WebSession;

import java.util.HashMap;
import java.util.Map;

/** A signed-in page request: who asks, and what every page's layout needs. */
public record WebRequest(WebSession session) {

    public Actor actor() {
        return session.actor();
    }

    /** The model of a page: the layout's values plus the page's own. */
    public Map<String, Object> model(String section, Map<String, ?> page) {
        Map<String, Object> model = new HashMap<>(page);
        model.put("me", session.actor());
        model.put("role", session.actor().role().wireName());
        model.put("csrf", session.csrfToken());
        model.put("section", section);
        return model;
    }
}
