package io.hookgate.store;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.exception.LiquibaseException;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Applies the changelogs of the migrations module at start-up, the same ones `db migrate config.yml` applies.
 * Liquibase takes a database lock, so instances starting together apply each change once.
 */
public final class SchemaMigrations {

    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    private static final String READ_TIMEOUT = "socketTimeout";
    private static final String APPLICATION_NAME = "ApplicationName";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    public static void apply(DataSourceFactory database) throws LiquibaseException, SQLException {
        ManagedDataSource dataSource = forMigrations(database, () -> database.build(new MetricRegistry(), "migrations"));
        long started = System.nanoTime();
        try (var liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, CHANGELOG);
             var progress = SchemaChangeProgress.watch(dataSource, PROGRESS_EVERY)) {
            List<String> pending = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream().map(ChangeSet::getId).toList();
            if (!pending.isEmpty()) {
                LOG.info("Changing the schema: {} change{} to apply ({}); on a large database this can take minutes, reported every {} s",
                    pending.size(), pending.size() == 1 ? "" : "s", String.join(", ", pending), PROGRESS_EVERY.toSeconds());
            }
            // Liquibase's messages and summary go to its logger, not to stdout: with JSON logs, every line is JSON
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService(), "liquibase.command.showSummaryOutput", "LOG"),
                () -> liquibase.update(new Contexts(), new LabelExpression()));
            if (!pending.isEmpty()) {
                LOG.info("Schema up to date after {} s", Duration.ofNanos(System.nanoTime() - started).toSeconds());
            }
        } catch (LiquibaseException | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LiquibaseException(e);
        }
    }

    /**
     * The settings of a schema change's connections: the driver's read timeout off, as a schema change may wait minutes
     * for PostgreSQL's answer (an index built on a large table, a lock held by a long transaction), where the service's
     * own statements answer in seconds; and its sessions named for {@link SchemaChangeProgress} to find. For the `db`
     * commands, whose process only migrates, they stay.
     */
    public static DataSourceFactory forCommands(DataSourceFactory database) {
        database.getProperties().remove(READ_TIMEOUT);
        database.getProperties().put(APPLICATION_NAME, SchemaChangeProgress.APPLICATION_NAME);
        return database;
    }

    /** Builds with the settings of {@link #forCommands}, then gives the service's connections back their own. */
    private static <T> T forMigrations(DataSourceFactory database, Supplier<T> build) {
        Map<String, String> own = new HashMap<>(database.getProperties());
        forCommands(database);
        try {
            return build.get();
        } finally {
            database.getProperties().clear();
            database.getProperties().putAll(own);
        }
    }
}
