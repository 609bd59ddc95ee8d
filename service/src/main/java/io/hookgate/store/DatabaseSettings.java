package io.hookgate.store;

import io.dropwizard.db.DataSourceFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Resolves config.yml's database section: the sentinel url {@code embedded} (no DATABASE_URL) starts the
 * embedded server; a {@code postgres://user:pass@host/db} URL, as hosting platforms hand out, becomes a JDBC URL.
 */
public final class DatabaseSettings {

    public static final String EMBEDDED = "embedded";

    private DatabaseSettings() {
    }

    public static boolean isEmbedded(DataSourceFactory database) {
        return EMBEDDED.equals(database.getUrl());
    }

    /** Makes {@code database} point at a real server; idempotent. */
    public static void resolve(DataSourceFactory database, EmbeddedDatabase embedded) {
        if (isEmbedded(database)) {
            try {
                database.setUrl(embedded.ensureRunning());
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
            database.setUser(null);
            database.setPassword(null);
            return;
        }
        database.setUrl(toJdbcUrl(database.getUrl()));
        if (database.getUser() != null && database.getUser().isBlank()) {
            database.setUser(null);
        }
        if (database.getPassword() != null && database.getPassword().isEmpty()) {
            database.setPassword(null);
        }
    }

    static String toJdbcUrl(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalStateException("DATABASE_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db) "
                + "or postgres://user:password@host:5432/db, got a URL starting with "
                + url.substring(0, Math.min(url.length(), 12)));
        }
        URI uri = URI.create(url);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            query = "user=" + userInfo[0] + (userInfo.length > 1 ? "&password=" + userInfo[1] : "") + (query.isEmpty() ? "" : "&" + query);
        }
        return query.isEmpty() ? jdbc.toString() : jdbc.append('?').append(query).toString();
    }

    public static Path dataDir(String configured) {
        return Path.of(configured).toAbsolutePath().normalize();
    }
}
