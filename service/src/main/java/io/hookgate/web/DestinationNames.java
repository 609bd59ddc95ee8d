package io.hookgate.web;

import io.hookgate.delivery.DestinationId;
import io.hookgate.delivery.DestinationService;
import io.hookgate.support.Problem;

/** A destination as pages name it: one deleted since (an event's delivery, a replay's filter) keeps its id. */
final class DestinationNames {

    private DestinationNames() {
    }

    static String of(DestinationService destinations, WebRequest web, DestinationId id) {
        try {
            return destinations.get(web.actor(), id).name();
        } catch (Problem.NotFound deleted) {
            return "destination " + id + " (deleted)";
        }
    }
}
