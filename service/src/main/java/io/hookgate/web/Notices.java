package io.hookgate.web;

import java.util.Map;

/** The confirmations shown after a change (post/redirect/get carries only a short code in the URL). */
final class Notices {

    private static final Map<String, String> TEXT = Map.ofEntries(
        Map.entry("choose-tenant", "A destination belongs to a tenant: open the tenant, then choose \"Add a destination\"."),
        Map.entry("token-rotated", "A new callback URL is active; the old one no longer accepts notifications. Update it in AIRUDDER."),
        Map.entry("status-changed", "The tenant's status was changed."),
        Map.entry("settings-saved", "Settings saved."),
        Map.entry("destination-saved", "Destination saved."),
        Map.entry("destination-disabled", "Destination disabled: new events are not sent to it, and its waiting deliveries are "
            + "paused until it is enabled."),
        Map.entry("destination-enabled", "Destination enabled: its waiting deliveries that are due go out now. Events that came "
            + "while it was disabled can be sent from \"Events it missed\"."),
        Map.entry("destination-deleted", "Destination deleted; its waiting deliveries were cancelled, and its dead letters are no longer replayable."),
        Map.entry("retry-queued", "The delivery will be attempted right away."),
        Map.entry("retry-queued-circuit-open", "The delivery is due now, but its destination's circuit is open after repeated "
            + "failures: it goes out when the circuit next lets a trial delivery through."),
        Map.entry("redelivery-queued", "The event will be sent again."),
        Map.entry("redelivery-queued-destination-disabled", "The event is queued again, but its destination is disabled: "
            + "the delivery waits, and goes out once the destination is enabled again."),
        Map.entry("replayed", "The dead letter was replayed: a new delivery is on its way."),
        Map.entry("replayed-selected", "The selected dead letters were replayed: new deliveries are on their way."),
        Map.entry("replay-already-running", "This replay was already asked for with the same filter and is still queueing "
            + "its dead letters: here it is, rather than a second one sending the same."),
        Map.entry("nothing-to-replay", "Nothing to replay: no dead letter matching this filter is waiting."),
        Map.entry("none-selected", "Nothing was replayed: tick the dead letters to replay, or use \"Replay all matching\"."),
        Map.entry("user-created", "User created."),
        Map.entry("user-saved", "User saved."),
        Map.entry("user-unlocked", "User unlocked: the next sign-in with the right password goes through."),
        Map.entry("password-changed", "Password changed."),
        Map.entry("token-revoked", "API token revoked: requests that carry it are refused from now on."));

    private Notices() {
    }

    static String text(String code) {
        return code == null ? "" : TEXT.getOrDefault(code, "");
    }
}
