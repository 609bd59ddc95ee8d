package io.hookgate.store;

import io.hookgate.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows the retention purge deletes are checked against every foreign key that refers to them: each check must find
 * the referring rows by an index, not read the referring table (a dead letter's check read a year of dead letters for
 * every delivery deleted).
 */
class ForeignKeyIndexesIT {

    @Test
    void everyForeignKeyToATableThePurgeDeletesFromIsIndexedOnItsReferringSide() throws Exception {
        List<String> unindexed = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestDatabase.migrated()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                 select k.conname from pg_constraint k
                 where k.contype = 'f' and k.confrelid in ('events'::regclass, 'deliveries'::regclass, 'event_calls'::regclass,
                                                           'delivery_attempts'::regclass, 'dead_letters'::regclass)
                   and not exists (select 1 from pg_index i where i.indrelid = k.conrelid
                                   and (i.indkey::int2[])[0:cardinality(k.conkey) - 1] @> k.conkey
                                   and (i.indkey::int2[])[0:cardinality(k.conkey) - 1] <@ k.conkey)
                 order by 1""")) {
            while (rs.next()) {
                unindexed.add(rs.getString(1));
            }
        }
        assertThat(unindexed).as("foreign keys whose check on delete would read the whole referring table").isEmpty();
    }
}
