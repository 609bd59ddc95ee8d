package io.hookgate.auth;

public record CreatedApiToken(ApiToken token, String secret) {
}
