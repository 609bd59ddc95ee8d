package io.hookgate.support;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * {@code java -cp hookgate.jar io.hookgate.support.HealthProbe URL}: exits 0 when the URL answers 200. For container
 * health checks on images that ship no curl.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://localhost:8081/ready";
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(3000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            System.exit(status == 200 ? 0 : 1);
        } catch (Exception e) {
            System.err.println("health check failed: " + e);
            System.exit(1);
        }
    }
}
