package io.hookgate.support;

import io.hookgate.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyIT {

    @Test
    void anInstanceGivenAnotherMasterKeyThanTheStoredKeysWereSealedWithRefusesToStartInASentence() throws Exception {
        Map<String, String> env = ServiceProcess.freshEnvironment(Map.of());
        try (ServiceProcess first = ServiceProcess.start(env)) {
            assertThat(first.admin().post("/api/v1/tenants", "{\"name\":\"Sealed tenant\"}").status()).isEqualTo(201);
        }
        Map<String, String> wrongKey = new HashMap<>(env);
        wrongKey.put("HOOKGATE_MASTER_KEY", Base64.getEncoder().encodeToString("another key of exactly 32 bytes!".getBytes()));

        assertThatThrownBy(() -> ServiceProcess.start(wrongKey).close())
            .hasMessageContaining("HOOKGATE_MASTER_KEY does not open the KEYs stored in this database")
            .as("rather than start healthy and answer every callback 503; told without a stack trace")
            .hasMessageNotContaining("\tat ");
        try (ServiceProcess again = ServiceProcess.start(env)) {
            assertThat(again.admin().get("/api/v1/tenants").json()).as("the right key still opens them").hasSize(1);
        }
    }
}
