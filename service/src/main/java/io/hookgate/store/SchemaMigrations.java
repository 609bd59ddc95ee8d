package io.hookgate.store;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.exception.LiquibaseException;

import java.sql.SQLException;

/**
 * Applies the changelogs of the migrations module at start-up, the same ones `db migrate config.yml` applies.
 * Liquibase takes a database lock, so instances starting together apply each change once.
 */
public final class SchemaMigrations {

    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    private SchemaMigrations() {
    }

    public static void apply(DataSourceFactory database) throws LiquibaseException, SQLException {
        ManagedDataSource dataSource = database.build(new MetricRegistry(), "migrations");
        try (var liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, CHANGELOG)) {
            liquibase.update(new Contexts(), new LabelExpression());
        }
    }
}
