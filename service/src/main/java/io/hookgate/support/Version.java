package io.hookgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Hookgate's version, from the build. */
public final class Version {

    public static final String CURRENT = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/hookgate.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
