package io.hookgate.testing;

import io.dropwizard.db.DataSourceFactory;
import io.hookgate.store.SchemaMigrations;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.exception.LiquibaseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, empty database per test class: on the PostgreSQL server named by DATABASE_URL when it is set, else on
 * one embedded server started for the whole test run. Databases made here are dropped when the JVM exits.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final List<String> CREATED = new ArrayList<>();
    private static String serverUrl;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    /** The JDBC URL of a new empty database. */
    public static synchronized String fresh() {
        String server = serverUrl();
        String name = "hookgate_it_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute(server, "drop database if exists " + name);
        execute(server, "create database " + name);
        CREATED.add(name);
        return withDatabase(server, name);
    }

    /** The JDBC URL of a new database with the service's schema, as the migrations leave it. */
    public static String migrated() {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl(fresh());
        try {
            SchemaMigrations.apply(database);
        } catch (LiquibaseException | SQLException e) {
            throw new IllegalStateException("the migrations failed on a new database", e);
        }
        return database.getUrl();
    }

    public static boolean usesExternalServer() {
        String url = System.getenv("DATABASE_URL");
        return url != null && !url.isBlank();
    }

    private static String serverUrl() {
        if (serverUrl != null) {
            return serverUrl;
        }
        if (usesExternalServer()) {
            serverUrl = toJdbc(System.getenv("DATABASE_URL"));
        } else {
            try {
                embedded = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            serverUrl = embedded.getJdbcUrl("postgres", "postgres");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll, "test-database-cleanup"));
        return serverUrl;
    }

    private static synchronized void dropAll() {
        for (String name : CREATED) {
            try {
                execute(serverUrl, "drop database if exists " + name + " with (force)");
            } catch (RuntimeException ignored) {
                // the server may already be gone
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    static String toJdbc(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        URI uri = URI.create(url);
        String user = uri.getUserInfo() == null ? "" : "?user=" + uri.getUserInfo().split(":")[0]
            + (uri.getUserInfo().contains(":") ? "&password=" + uri.getUserInfo().split(":", 2)[1] : "");
        return "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath() + user;
    }

    /** The same server URL with another database name. */
    static String withDatabase(String jdbcUrl, String database) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : (query >= 0 ? rest.substring(0, query) : rest);
        String params = query >= 0 ? rest.substring(query) : "";
        return "jdbc:postgresql://" + hostPort + "/" + database + params;
    }
}
