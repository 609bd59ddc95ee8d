package io.hookgate.retention;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/retention-purge} on the admin port: runs a retention pass now and says how much it deleted. */
public final class RetentionTask extends Task {

    private final RetentionPurger purger;

    public RetentionTask(RetentionPurger purger) {
        super("retention-purge");
        this.purger = purger;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println("deleted " + purger.purgeOnce() + " events past their retention");
    }
}
