package io.hookgate.store;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.exception.LiquibaseException;
import liquibase.ui.LoggerUIService;

import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies the changelogs of the migrations module at start-up, the same ones `db migrate config.yml` applies.
 * Liquibase takes a database lock, so instances starting together apply each change once.
 */
public final class SchemaMigrations {

    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    private static final String READ_TIMEOUT = "socketTimeout";

    private SchemaMigrations() {
    }

    public static void apply(DataSourceFactory database) throws LiquibaseException, SQLException {
        ManagedDataSource dataSource = withoutReadTimeout(database, () -> database.build(new MetricRegistry(), "migrations"));
        try (var liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, CHANGELOG)) {
            // Liquibase's messages and summary go to its logger, not to stdout: with JSON logs, every line is JSON
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService(), "liquibase.command.showSummaryOutput", "LOG"),
                () -> liquibase.update(new Contexts(), new LabelExpression()));
        } catch (LiquibaseException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e);
        }
    }

    /** For the `db` commands, whose process only migrates: the database settings without the read timeout. */
    public static DataSourceFactory forCommands(DataSourceFactory database) {
        database.getProperties().remove(READ_TIMEOUT);
        return database;
    }

    /**
     * Builds with the driver's read timeout off: a schema change may wait minutes for PostgreSQL's answer (an index built
     * on a large table, a lock held by a long transaction), where the service's own statements answer in seconds.
     */
    private static <T> T withoutReadTimeout(DataSourceFactory database, Supplier<T> build) {
        Map<String, String> properties = database.getProperties();
        String readTimeout = properties.remove(READ_TIMEOUT);
        try {
            return build.get();
        } finally {
            if (readTimeout != null) {
                properties.put(READ_TIMEOUT, readTimeout);
            }
        }
    }
}
