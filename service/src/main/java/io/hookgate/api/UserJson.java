package io.hookgate.api;

import io.hookgate.auth.User;

public record UserJson(long id, String email, String role, Long tenantId, boolean disabled, String createdAt) {

    static UserJson of(User user) {
        return new UserJson(user.id().value(), user.email(), user.role().wireName(),
            user.tenantId().map(t -> t.value()).orElse(null), user.disabled(), user.createdAt().toString());
    }
}
