package io.hookgate.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Finds the 32-byte key that encrypts secrets at rest (HOOKGATE_MASTER_KEY). */
public final class MasterKey {

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    static final String FILE_NAME = "master.key";

    private MasterKey() {
    }

    /**
     * Refuses a master key that does not open what is stored: started anyway, the instance would look healthy and
     * answer every callback 503, as no KEY could be read to check a signature.
     */
    public static void requireOpens(SecretBox secrets, Optional<byte[]> storedSample) {
        storedSample.ifPresent(sealed -> {
            try {
                secrets.open(sealed);
            } catch (IllegalStateException e) {
                throw new OperatorMistake("HOOKGATE_MASTER_KEY does not open the KEYs stored in this database: give the key "
                    + "they were sealed with (every instance on one database needs the same one)");
            }
        });
    }

    /**
     * The configured key; or, on the embedded default only, one generated once into the data dir. With an
     * external database a lost generated key would make every stored KEY unreadable, so there we refuse.
     */
    public static byte[] resolve(String configured, boolean embedded, Path dataDir, SecureRandom random) {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.trim(), "HOOKGATE_MASTER_KEY");
        }
        if (!embedded) {
            throw new OperatorMistake("HOOKGATE_MASTER_KEY is not set. With DATABASE_URL set, Hookgate needs a master key "
                + "to encrypt tenant KEYs and secrets at rest; generate one with `head -c 32 /dev/urandom | base64` and keep it "
                + "safe: stored secrets cannot be read without it.");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
            }
            Files.createDirectories(dataDir);
            byte[] key = new byte[32];
            random.nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file stays with the default permissions
            }
            LOG.warn("No HOOKGATE_MASTER_KEY set: generated one into {}. Back it up with the data directory, "
                + "or set HOOKGATE_MASTER_KEY to its content in production.", file);
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new OperatorMistake(source + " is not valid base64: generate one with `head -c 32 /dev/urandom | base64`");
        }
        if (key.length != 32) {
            throw new OperatorMistake(source + " must be the base64 of exactly 32 bytes, it decodes to " + key.length
                + ": generate one with `head -c 32 /dev/urandom | base64`");
        }
        return key;
    }
}
