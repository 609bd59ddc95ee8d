package io.hookgate.web;

import io.hookgate.auth.Actor;
import io.hookgate.auth.PageFlashes;
import io.hookgate.auth.PasswordConfirmation;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * What a form that asks for your password again says when it was not accepted, and what was therefore not done. It
 * is said after a redirect to the form's page: left on the POST, a reload would send the wrong password again and
 * bring the account nearer its lock.
 */
final class PasswordRefusals {

    /** A refusal on its way to {@code page}, the path of the page whose form asked. */
    record Refusal(String page, String message) {
    }

    private PasswordRefusals() {
    }

    /** {@code consequence}: what did not happen, e.g. "the KEY stays hidden". */
    static String text(PasswordConfirmation refused, String consequence) {
        return refused.lockedUntil()
            .map(until -> "Your account is locked until " + UtcInstants.of(until) + " after 5 wrong passwords in a row (here or "
                + "at sign-in), so even the right one is refused for now: " + consequence + ". A platform admin can unlock it "
                + "on the Users page.")
            .orElse("That password is not right: " + consequence + ". After 5 wrong passwords in a row, here or at sign-in, "
                + "the account locks for a while.");
    }

    /** Back to {@code page}, which says once, through {@link #take}, why: a reload of it sends nothing. */
    static Response redirect(PageFlashes flashes, Actor actor, String page, PasswordConfirmation refused, String consequence) {
        return Pages.redirect(page + "?refused=" + flashes.keep(actor, new Refusal(page, text(refused, consequence))));
    }

    /** The message kept under {@code id} for {@code page}, once. */
    static Optional<String> take(PageFlashes flashes, Actor actor, String id, String page) {
        return flashes.take(actor, id, Refusal.class).filter(r -> r.page().equals(page)).map(Refusal::message);
    }
}
