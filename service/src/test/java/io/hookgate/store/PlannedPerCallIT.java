package io.hookgate.store;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.hookgate.delivery.DeliveryDao;
import io.hookgate.delivery.DestinationId;
import io.hookgate.testing.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listing with optional filters is planned for each call's values: the driver never makes it a prepared statement
 * on the server, for which PostgreSQL could keep one generic plan. Through the same pool as the service's.
 */
class PlannedPerCallIT {

    private static final String LISTING = "from deliveries where destination_id = ";

    private ManagedDataSource pool;
    private Jdbi jdbi;

    @BeforeEach
    void onePooledConnection() throws Exception {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl(TestDatabase.migrated());
        database.setMinSize(1);
        database.setInitialSize(1);
        database.setMaxSize(1); // every call on one session, whose prepared statements pg_prepared_statements lists
        pool = database.build(new MetricRegistry(), "planned-per-call");
        pool.start();
        jdbi = Jdbi.create(pool).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        jdbi.registerArgument(new LongIdArguments());
        jdbi.setTemplateEngine(new NoTemplateEngine());
    }

    @AfterEach
    void close() throws Exception {
        pool.stop();
    }

    @Test
    void aListingWithOptionalFiltersIsNeverPreparedOnTheServer() {
        for (int i = 0; i < 12; i++) {
            String status = i % 2 == 0 ? "cancelled" : null;
            jdbi.useExtension(DeliveryDao.class, dao -> dao.ofDestination(new DestinationId(1), status, null, 50));
        }
        assertThat(preparedOnTheServer()).isZero();
    }

    @Test
    void aStatementWithoutItIsPreparedOnTheServerAfterAFewCalls() {
        for (int i = 0; i < 12; i++) {
            jdbi.useHandle(h -> h.createQuery("select id " + LISTING + ":id order by id desc limit 50").bind("id", 1L).mapTo(Long.class).list());
        }
        assertThat(preparedOnTheServer()).as("what the check would see if the listing were prepared").isEqualTo(1);
    }

    private long preparedOnTheServer() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from pg_prepared_statements where statement like :listing")
            .bind("listing", "%" + LISTING + "%").mapTo(Long.class).one());
    }
}
