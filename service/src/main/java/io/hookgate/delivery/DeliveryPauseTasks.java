package io.hookgate.delivery;

import io.dropwizard.servlets.tasks.Task;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /tasks/delivery-pause} and {@code POST /tasks/delivery-resume} on the admin port: hold all sending of
 * this instance (a network incident, a receivers' maintenance window) without losing anything. Ingest goes on;
 * deliveries wait in the database and go out on resume. The backlog health check reports the wait.
 */
public final class DeliveryPauseTasks {

    private DeliveryPauseTasks() {
    }

    public static Task pause(DeliveryWorker worker) {
        return new Task("delivery-pause") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) {
                worker.pause();
                output.println("delivery paused on this instance: " + worker.inFlight() + " attempts in flight finish, nothing new is sent");
            }
        };
    }

    public static Task resume(DeliveryWorker worker) {
        return new Task("delivery-resume") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) {
                worker.resume();
                output.println("delivery resumed on this instance");
            }
        };
    }
}
