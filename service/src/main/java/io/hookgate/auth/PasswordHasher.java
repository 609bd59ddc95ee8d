package io.hookgate.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.security.SecureRandom;

/** bcrypt through Spring Security's maintained implementation; never hand-rolled. */
public final class PasswordHasher {

    static final int STRENGTH = 11;

    private final BCryptPasswordEncoder bcrypt;
    /** Checked against when the email is unknown, so timing does not reveal which emails exist. */
    private final String decoyHash;

    public PasswordHasher(SecureRandom random) {
        this.bcrypt = new BCryptPasswordEncoder(STRENGTH, random);
        this.decoyHash = bcrypt.encode("decoy password that matches nothing");
    }

    public String hash(String password) {
        return bcrypt.encode(password);
    }

    public boolean matches(String password, String hash) {
        return bcrypt.matches(password, hash);
    }

    public void spendDecoyCheck(String password) {
        bcrypt.matches(password, decoyHash);
    }
}
