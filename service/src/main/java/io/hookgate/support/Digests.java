package io.hookgate.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digests Hookgate needs, named for what they are. */
public final class Digests {

    private Digests() {
    }

    public static byte[] sha256(byte[] data) {
        return digest("SHA-256").digest(data);
    }

    public static byte[] md5(byte[] data) {
        return digest("MD5").digest(data);
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the JDK spec", e);
        }
    }
}
