package io.hookgate;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.hookgate.support.OperatorMistake;
import net.sourceforge.argparse4j.inf.Namespace;

/** Dropwizard's {@code server}, which answers an operator's mistake with its message rather than a stack trace. */
final class HookgateServerCommand extends ServerCommand<HookgateConfiguration> {

    HookgateServerCommand(Application<HookgateConfiguration> application) {
        super(application);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!toldInASentence(cli, e)) {
            super.onError(cli, namespace, e);
        }
    }

    /** Prints the message of an operator's mistake and returns true; false for anything else. */
    static boolean toldInASentence(Cli cli, Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof OperatorMistake mistake) {
                cli.getStdErr().println(mistake.getMessage());
                return true;
            }
        }
        return false;
    }
}
