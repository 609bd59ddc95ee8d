package io.hookgate.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void externalDatabaseWithoutAKeyRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> MasterKey.resolve("", false, dataDir, new SecureRandom()))
            .hasMessageContaining("HOOKGATE_MASTER_KEY").hasMessageContaining("head -c 32 /dev/urandom | base64");
    }

    @Test
    void embeddedDefaultGeneratesAKeyOnceAndKeepsIt() throws Exception {
        byte[] first = MasterKey.resolve(null, true, dataDir, new SecureRandom());
        byte[] again = MasterKey.resolve(null, true, dataDir, new SecureRandom());
        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(MasterKey.FILE_NAME)))).isEqualTo("rw-------");
    }

    @Test
    void configuredKeyMustBe32BytesOfBase64() {
        byte[] key = new byte[32];
        key[3] = 7;
        assertThat(MasterKey.resolve(Base64.getEncoder().encodeToString(key), false, dataDir, new SecureRandom())).isEqualTo(key);
        assertThatThrownBy(() -> MasterKey.resolve(Base64.getEncoder().encodeToString(new byte[16]), false, dataDir, new SecureRandom()))
            .hasMessageContaining("exactly 32 bytes");
        assertThatThrownBy(() -> MasterKey.resolve("not base64!", false, dataDir, new SecureRandom()))
            .hasMessageContaining("not valid base64");
    }

    @Test
    void aMasterKeyThatDoesNotOpenTheStoredKeysIsRefused() {
        byte[] sealedWith = new byte[32];
        byte[] another = new byte[32];
        another[0] = 1;
        byte[] stored = new SecretBox(sealedWith, new SecureRandom()).seal("the tenant's KEY");

        MasterKey.requireOpens(new SecretBox(sealedWith, new SecureRandom()), Optional.of(stored));
        MasterKey.requireOpens(new SecretBox(another, new SecureRandom()), Optional.empty()); // nothing stored yet: nothing to check
        assertThatThrownBy(() -> MasterKey.requireOpens(new SecretBox(another, new SecureRandom()), Optional.of(stored)))
            .isInstanceOf(OperatorMistake.class)
            .hasMessage("HOOKGATE_MASTER_KEY does not open the KEYs stored in this database: give the key they were sealed with "
                + "(every instance on one database needs the same one)");
    }
}
