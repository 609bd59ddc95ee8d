package io.hookgate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The two configurations an operator is told to run with stay one configuration with two log formats. */
class ConfigFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theJsonLogsConfigurationDiffersFromConfigYmlOnlyInItsLogLayouts() throws IOException {
        JsonNode plain = YAML.readTree(ROOT.resolve("config.yml").toFile());
        JsonNode json = YAML.readTree(ROOT.resolve("config-json-logs.yml").toFile());

        assertThat(layouts(json, "/logging/appenders")).as("config-json-logs.yml's log layouts").containsOnly("json");
        assertThat(layouts(json, "/server/requestLog/appenders")).as("config-json-logs.yml's request log layouts")
            .containsOnly("access-json");
        assertThat(withoutLayouts(json)).as("config-json-logs.yml besides its layouts").isEqualTo(withoutLayouts(plain));
    }

    private static String[] layouts(JsonNode config, String appenders) {
        JsonNode list = config.at(appenders);
        assertThat(list.isArray() && !list.isEmpty()).as(appenders).isTrue();
        String[] types = new String[list.size()];
        for (int i = 0; i < list.size(); i++) {
            types[i] = list.get(i).at("/layout/type").asText("(none)");
        }
        return types;
    }

    private static JsonNode withoutLayouts(JsonNode config) {
        JsonNode copy = config.deepCopy();
        for (String appenders : new String[] {"/logging/appenders", "/server/requestLog/appenders"}) {
            copy.at(appenders).forEach(appender -> ((ObjectNode) appender).remove("layout"));
        }
        return copy;
    }
}
