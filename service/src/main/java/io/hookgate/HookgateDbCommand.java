package io.hookgate;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.db.DatabaseConfiguration;
import io.dropwizard.migrations.DbCommand;
import io.hookgate.store.SchemaMigrations;
import net.sourceforge.argparse4j.inf.Namespace;

/** The migrations bundle's {@code db} commands, which answer an operator's mistake as {@code server} does. */
final class HookgateDbCommand extends DbCommand<HookgateConfiguration> {

    HookgateDbCommand(DatabaseConfiguration<HookgateConfiguration> database) {
        super("db", database, HookgateConfiguration.class, SchemaMigrations.CHANGELOG);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!HookgateServerCommand.toldInASentence(cli, e)) {
            super.onError(cli, namespace, e);
        }
    }
}
