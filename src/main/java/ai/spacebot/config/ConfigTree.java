package ai.spacebot.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, path-addressed reads over merged {@link ConfigValue}s. Every failed read throws a
 * {@link ConfigException} that names the key and where its value came from.
 */
final class ConfigTree {
  private final ConfigValue.Mapping root;
  private final String prefix;

  ConfigTree(ConfigValue.Mapping root) {
    this(root, "");
  }

  private ConfigTree(ConfigValue.Mapping root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /** Later wins: mappings merge key by key, anything else is replaced whole. */
  static ConfigValue.Mapping merge(ConfigValue.Mapping base, ConfigValue.Mapping over) {
    LinkedHashMap<String, ConfigValue> out = new LinkedHashMap<>(base.entries());
    over.entries().forEach((key, value) -> {
      ConfigValue existing = out.get(key);
      if (existing instanceof ConfigValue.Mapping a && value instanceof ConfigValue.Mapping b) {
        out.put(key, merge(a, b));
      } else if (existing instanceof ConfigValue.Mapping && value instanceof ConfigValue.Scalar s && s.isNull()) {
        // An empty section ("llm:" with everything under it commented out) changes nothing.
        return;
      } else {
        out.put(key, value);
      }
    });
    return new ConfigValue.Mapping(out, over.origin());
  }

  /** Sets a scalar at a dotted path, creating mappings on the way (used for environment overrides). */
  static ConfigValue.Mapping with(ConfigValue.Mapping base, String path, String value, String origin) {
    String[] parts = path.split("\\.", 2);
    LinkedHashMap<String, ConfigValue> out = new LinkedHashMap<>(base.entries());
    if (parts.length == 1) {
      out.put(parts[0], new ConfigValue.Scalar(value, origin));
    } else {
      ConfigValue child = out.get(parts[0]);
      ConfigValue.Mapping childMap = child instanceof ConfigValue.Mapping m ? m : new ConfigValue.Mapping(new LinkedHashMap<>(), origin);
      out.put(parts[0], with(childMap, parts[1], value, origin));
    }
    return new ConfigValue.Mapping(out, base.origin());
  }

  ConfigValue find(String path) {
    ConfigValue current = root;
    for (String part : path.split("\\.")) {
      if (!(current instanceof ConfigValue.Mapping m)) {
        return null;
      }
      current = m.entries().get(part);
      if (current == null) {
        return null;
      }
    }
    return current;
  }

  String string(String path, String fallback) {
    ConfigValue v = find(path);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof ConfigValue.Scalar s)) {
      throw fail(path, v, "must be a single value, not a list or mapping");
    }
    return s.isNull() || s.text().isBlank() ? fallback : s.text().trim();
  }

  int integer(String path, int fallback, int min, int max) {
    String text = string(path, null);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw fail(path, find(path), "must be between " + min + " and " + max + ", got " + value);
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw fail(path, find(path), "must be a whole number, got \"" + text + "\"");
    }
  }

  double decimal(String path, double fallback, double min, double max) {
    String text = string(path, null);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (!(value >= min && value <= max)) {
        throw fail(path, find(path), "must be between " + min + " and " + max + ", got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw fail(path, find(path), "must be a number, got \"" + text + "\"");
    }
  }

  boolean bool(String path, boolean fallback) {
    String text = string(path, null);
    if (text == null) {
      return fallback;
    }
    return switch (text.toLowerCase()) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw fail(path, find(path), "must be true or false, got \"" + text + "\"");
    };
  }

  List<String> strings(String path) {
    ConfigValue v = find(path);
    if (v == null || v instanceof ConfigValue.Scalar s && s.isNull()) {
      return List.of();
    }
    if (v instanceof ConfigValue.Scalar s) {
      return s.text().isBlank() ? List.of() : List.of(s.text().split("\\s*,\\s*"));
    }
    if (!(v instanceof ConfigValue.Sequence seq)) {
      throw fail(path, v, "must be a list");
    }
    List<String> out = new ArrayList<>();
    for (ConfigValue item : seq.items()) {
      if (!(item instanceof ConfigValue.Scalar s) || s.isNull()) {
        throw fail(path, item, "must be a list of plain values");
      }
      out.add(s.text());
    }
    return out;
  }

  /** The keys of a mapping, in file order; empty if absent. */
  List<String> keys(String path) {
    ConfigValue v = find(path);
    if (v == null || v instanceof ConfigValue.Scalar s && s.isNull()) {
      return List.of();
    }
    if (!(v instanceof ConfigValue.Mapping m)) {
      throw fail(path, v, "must be a mapping of keys");
    }
    return List.copyOf(m.entries().keySet());
  }

  /** The items of a list of mappings, each as its own tree with paths relative to the item. */
  List<ConfigTree> mappings(String path) {
    ConfigValue v = find(path);
    if (v == null || v instanceof ConfigValue.Scalar s && s.isNull()) {
      return List.of();
    }
    if (!(v instanceof ConfigValue.Sequence seq)) {
      throw fail(path, v, "must be a list");
    }
    List<ConfigTree> out = new ArrayList<>();
    for (ConfigValue item : seq.items()) {
      if (!(item instanceof ConfigValue.Mapping m)) {
        throw fail(path, item, "each item must be a mapping of keys");
      }
      out.add(new ConfigTree(m, full(path) + "[" + out.size() + "]."));
    }
    return out;
  }

  ConfigTree subtree(String path) {
    ConfigValue v = find(path);
    if (v == null) {
      return new ConfigTree(new ConfigValue.Mapping(new LinkedHashMap<>(), "defaults"), full(path) + ".");
    }
    if (!(v instanceof ConfigValue.Mapping m)) {
      throw fail(path, v, "must be a mapping of keys");
    }
    return new ConfigTree(m, full(path) + ".");
  }

  /** The key as the operator wrote it, e.g. {@code agents[1].id}. */
  String full(String path) {
    return prefix + path;
  }

  ConfigException fail(String path, ConfigValue value, String problem) {
    return bad(full(path), value, problem);
  }

  String origin(String path) {
    ConfigValue v = find(path);
    return v == null ? root.origin() : v.origin();
  }

  Map<String, ConfigValue> entries() {
    return root.entries();
  }

  static ConfigException bad(String path, ConfigValue value, String problem) {
    return new ConfigException(path + " " + problem + (value == null ? "" : " (" + value.origin() + ")"));
  }
}
