package io.hookgate.api;

import io.hookgate.auth.User;

/** {@code lockedUntil}: null unless failed sign-ins keep the account locked ({@code POST /users/{id}/unlock} ends it). */
public record UserJson(long id, String email, String role, Long tenantId, boolean disabled, String createdAt, String lockedUntil) {

    static UserJson of(User user) {
        return new UserJson(user.id().value(), user.email(), user.role().wireName(),
            user.tenantId().map(t -> t.value()).orElse(null), user.disabled(), user.createdAt().toString(),
            user.lockedUntil().map(Object::toString).orElse(null));
    }
}
