package io.hookgate.web;

import io.hookgate.auth.PasswordConfirmation;

/** What a form that asks for your password again says when it was not accepted, and what was therefore not done. */
final class PasswordRefusals {

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
}
