package io.hookgate.store;

import io.hookgate.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StatementMessagesIT {

    @Test
    void aFailedStatementsMessageNamesTheStatementButNotItsArguments() {
        Jdbi jdbi = Jdbi.create(TestDatabase.fresh());
        StatementMessages.withoutArguments(jdbi.getConfig(StatementExceptions.class));

        StatementException failed = catchThrowableOfType(StatementException.class, () -> jdbi.withHandle(handle ->
            handle.createQuery("select 1 / 0 where cast(:token as text) is not null").bind("token", "W2uz0xMX-callback-token")
                .mapTo(Integer.class).one()));

        assertThat(failed.getMessage()).contains("division by zero").contains("select 1 / 0 where cast(:token as text)")
            .doesNotContain("W2uz0xMX-callback-token");
        assertThat(failed.toString()).as("what the logs print").doesNotContain("W2uz0xMX-callback-token");
    }
}
