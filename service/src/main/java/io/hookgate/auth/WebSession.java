package io.hookgate.auth;

import java.time.Instant;

/** A signed-in admin UI session: who, and the token every state-changing form must carry. */
public record WebSession(Actor actor, String csrfToken, Instant expiresAt) {
}
