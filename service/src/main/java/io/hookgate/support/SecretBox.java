package io.hookgate.support;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Encrypts secrets at rest (tenant KEYs, signing secrets, destination headers) with AES-256-GCM under
 * the master key. Layout: version byte, 12-byte random nonce, ciphertext with its 16-byte tag.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    public SecretBox(byte[] masterKey, SecureRandom random) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes, got " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
        this.random = random;
    }

    public byte[] seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {VERSION});
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String open(byte[] box) {
        if (box.length < 1 + NONCE_BYTES || box[0] != VERSION) {
            throw new IllegalStateException("not a sealed secret of a known version");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 1, NONCE_BYTES));
            cipher.updateAAD(new byte[] {VERSION});
            byte[] plain = cipher.doFinal(Arrays.copyOfRange(box, 1 + NONCE_BYTES, box.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Wrong master key or tampered data: never fall back to anything.
            throw new IllegalStateException("a stored secret could not be decrypted: is HOOKGATE_MASTER_KEY the key it was sealed with?", e);
        }
    }
}
