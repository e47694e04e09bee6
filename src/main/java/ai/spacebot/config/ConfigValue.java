package ai.spacebot.config;

import java.util.LinkedHashMap;
import java.util.List;

/** A parsed YAML value that remembers where it came from, so errors can name the file and line. */
sealed interface ConfigValue {
  /** "config.yaml line 3", "environment variable SPACEBOT_PORT", ... */
  String origin();

  record Scalar(String text, String origin) implements ConfigValue {
    boolean isNull() {
      return text == null;
    }
  }

  record Mapping(LinkedHashMap<String, ConfigValue> entries, String origin) implements ConfigValue {}

  record Sequence(List<ConfigValue> items, String origin) implements ConfigValue {}
}
