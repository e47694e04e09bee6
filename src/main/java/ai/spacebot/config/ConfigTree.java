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
  private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * How {@code env:VAR} and {@code secret:NAME} values are read, and the references that wait for a locked store
   * (config key → secret name). Shared by a tree and its subtrees.
   */
  static final class References {
    final java.util.Map<String, String> env;
    final SecretLookup secrets;
    final java.util.Map<String, String> waiting = new java.util.TreeMap<>();

    References(java.util.Map<String, String> env, SecretLookup secrets) {
      this.env = env;
      this.secrets = secrets;
    }

    static References none() {
      return new References(java.util.Map.of(), SecretLookup.DEFERRED);
    }
  }

  private final ConfigValue.Mapping root;
  private final String prefix;
  private final References refs;

  ConfigTree(ConfigValue.Mapping root) {
    this(root, "", References.none());
  }

  ConfigTree(ConfigValue.Mapping root, References refs) {
    this(root, "", refs);
  }

  private ConfigTree(ConfigValue.Mapping root, String prefix, References refs) {
    this.root = root;
    this.prefix = prefix;
    this.refs = refs;
  }

  /** Every {@code secret:} reference read so far that waits for the store (config key → secret name). */
  java.util.Map<String, String> waiting() {
    return refs.waiting;
  }

  /** Whether a key under this path is a {@code secret:} value that could not be read yet. */
  boolean waits(String path) {
    String full = full(path);
    return refs.waiting.keySet().stream().anyMatch(k -> k.equals(full) || k.startsWith(full + "."));
  }

  /**
   * A scalar's text with {@code env:VAR} and {@code secret:NAME} resolved; null when it waits for a locked store.
   * A missing variable or secret is a config error that names the key and what it names.
   */
  String resolve(String path, ConfigValue.Scalar s) {
    String text = s.text().trim();
    if (text.startsWith("env:")) {
      String var = text.substring(4).trim();
      if (!ENV_NAME.matcher(var).matches()) {
        throw fail(path, s, "names env:" + var + ", which is not an environment variable name");
      }
      String value = refs.env.get(var);
      if (value == null || value.isBlank()) {
        throw fail(path, s, "is env:" + var + ", but the environment variable " + var + " is not set");
      }
      return value.trim();
    }
    if (text.startsWith("secret:")) {
      String name = text.substring(7).trim();
      if (!SECRET_NAME.matcher(name).matches()) {
        throw fail(path, s, "names secret:" + name + "; a secret name is upper-case letters, digits and _, "
            + "starting with a letter");
      }
      SecretLookup.Result found = refs.secrets.find(name);
      switch (found.kind()) {
        case FOUND:
          return found.value();
        case WAITING:
          refs.waiting.put(full(path), name);
          return null;
        default:
          throw fail(path, s, "is secret:" + name + ", but the secret store has no secret " + name
              + "; add it with: spacebot secrets set " + name);
      }
    }
    return text;
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
    if (s.isNull() || s.text().isBlank()) {
      return fallback;
    }
    return resolve(path, s);
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
      out.add(new ConfigTree(m, full(path) + "[" + out.size() + "].", refs));
    }
    return out;
  }

  ConfigTree subtree(String path) {
    ConfigValue v = find(path);
    if (v == null) {
      return new ConfigTree(new ConfigValue.Mapping(new LinkedHashMap<>(), "defaults"), full(path) + ".", refs);
    }
    if (!(v instanceof ConfigValue.Mapping m)) {
      throw fail(path, v, "must be a mapping of keys");
    }
    return new ConfigTree(m, full(path) + ".", refs);
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
