package io.hookgate.auth;

import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.basic.BasicCredentials;

import java.util.Optional;

public final class BasicAuthenticator implements Authenticator<BasicCredentials, Actor> {

    private final LoginService logins;

    public BasicAuthenticator(LoginService logins) {
        this.logins = logins;
    }

    @Override
    public Optional<Actor> authenticate(BasicCredentials credentials) {
        return logins.login(credentials.getUsername(), credentials.getPassword());
    }
}
