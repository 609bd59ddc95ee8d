package io.hookgate.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseSettingsTest {

    @Test
    void jdbcUrlIsTakenAsItIs() {
        assertThat(DatabaseSettings.toJdbcUrl("jdbc:postgresql://db:5432/hookgate?user=u")).isEqualTo("jdbc:postgresql://db:5432/hookgate?user=u");
    }

    @Test
    void platformStylePostgresUrlBecomesJdbcWithItsCredentials() {
        assertThat(DatabaseSettings.toJdbcUrl("postgres://hook:s3cret@db.internal:6432/hookgate?sslmode=require"))
            .isEqualTo("jdbc:postgresql://db.internal:6432/hookgate?user=hook&password=s3cret&sslmode=require");
        assertThat(DatabaseSettings.toJdbcUrl("postgresql://db/hookgate")).isEqualTo("jdbc:postgresql://db/hookgate");
    }

    @Test
    void otherUrlsAreRefusedWithAnExample() {
        assertThatThrownBy(() -> DatabaseSettings.toJdbcUrl("mysql://db/x")).hasMessageContaining("jdbc:postgresql://");
    }
}
