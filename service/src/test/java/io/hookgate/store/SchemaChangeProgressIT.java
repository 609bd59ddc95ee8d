package io.hookgate.store;

import io.hookgate.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaChangeProgressIT {

    @Test
    void aSchemaChangeHeldUpByALongTransactionIsReportedWithTheSessionThatHoldsIt() throws Exception {
        String url = TestDatabase.fresh();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        try (Connection report = connect(url, "nightly-report");
             Connection migration = connect(url, SchemaChangeProgress.APPLICATION_NAME);
             SchemaChangeProgress progress = SchemaChangeProgress.watch(dataSource, Duration.ofSeconds(1))) {
            report.createStatement().execute("create table calls_archive (id bigint)");
            report.setAutoCommit(false);
            report.createStatement().execute("insert into calls_archive values (1)"); // its lock keeps any alter table waiting
            assertThat(progress.underWay()).isEmpty();

            CompletableFuture<Void> change = CompletableFuture.runAsync(() -> execute(migration, "alter table calls_archive add column note text"));
            List<SchemaChangeProgress.Statement> underWay = List.of();
            for (int i = 0; i < 100 && underWay.isEmpty(); i++) {
                Thread.sleep(100);
                underWay = progress.underWay();
            }
            assertThat(underWay).as("reported once it has run longer than the interval").hasSize(1);
            assertThat(underWay.get(0).describe()).matches("Schema change under way for [1-9][0-9]* s: alter table calls_archive add column note text; "
                + "waiting for a lock held by session [0-9]+ \\(nightly-report, its transaction open [0-9]+ s\\): it goes on once that transaction ends");

            report.rollback();
            change.get(10, TimeUnit.SECONDS);
            assertThat(progress.underWay()).as("nothing once the change is done").isEmpty();
        }
    }

    @Test
    void anIndexBuildIsReportedWithItsPhaseAndHowManyBlocksItHasRead() {
        var building = new SchemaChangeProgress.Statement(95, null, "create index concurrently if not exists event_calls_redial\n    on event_calls "
            + "using gin (redial_call_ids)", "building index: scanning table", 1_234L, 2_700L, null);
        assertThat(building.describe()).isEqualTo("Schema change under way for 95 s: create index concurrently if not exists event_calls_redial on "
            + "event_calls using gin (redial_call_ids); building index: scanning table, 1,234 of 2,700 blocks (45%)");
    }

    private static Connection connect(String url, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url, properties);
    }

    private static void execute(Connection connection, String sql) {
        try {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
