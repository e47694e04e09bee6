package ai.spacebot.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses one YAML document into {@link ConfigValue}s, resolving {@code ${VAR}} and {@code ${VAR:default}}
 * from the environment. SnakeYAML's node API is used (not its object mapper) because nodes keep their
 * line numbers.
 */
final class YamlSource {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");

  private final String name;
  private final Map<String, String> env;

  YamlSource(String name, Map<String, String> env) {
    this.name = name;
    this.env = env;
  }

  ConfigValue.Mapping parse(String text) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : -1;
      throw new ConfigException(name + (line > 0 ? " line " + line : "") + ": " + oneLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(name + ": " + oneLine(e.getMessage()));
    }
    if (root == null) {
      return new ConfigValue.Mapping(new LinkedHashMap<>(), name);
    }
    if (!(root instanceof MappingNode)) {
      throw new ConfigException(name + " line " + line(root) + ": the top level must be a mapping of keys");
    }
    return (ConfigValue.Mapping) convert(root, "", 0);
  }

  private ConfigValue convert(Node node, String path, int depth) {
    String origin = name + " line " + line(node);
    if (depth > 32) {
      // Also stops self-referencing aliases (x: &a [*a]), which would otherwise recurse forever.
      throw new ConfigException(origin + ": nesting is too deep (a recursive alias?)");
    }
    if (node instanceof MappingNode mapping) {
      LinkedHashMap<String, ConfigValue> entries = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          throw new ConfigException(origin + ": keys must be plain names");
        }
        String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
        if (entries.containsKey(key.getValue())) {
          // compose() builds nodes only; SnakeYAML's own duplicate check lives in its object constructor.
          throw new ConfigException(name + " line " + line(key) + ": duplicate key " + child);
        }
        entries.put(key.getValue(), convert(tuple.getValueNode(), child, depth + 1));
      }
      return new ConfigValue.Mapping(entries, origin);
    }
    if (node instanceof SequenceNode sequence) {
      List<ConfigValue> items = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        items.add(convert(sequence.getValue().get(i), path + "[" + i + "]", depth + 1));
      }
      return new ConfigValue.Sequence(items, origin);
    }
    ScalarNode scalar = (ScalarNode) node;
    if (Tag.NULL.equals(scalar.getTag())) {
      return new ConfigValue.Scalar(null, origin);
    }
    return new ConfigValue.Scalar(substitute(scalar.getValue(), path, origin), origin);
  }

  private String substitute(String text, String path, String origin) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        if (m.group(2) == null) {
          throw new ConfigException(
              path + ": environment variable " + m.group(1) + " is not set (" + origin + "); set it or write ${"
                  + m.group(1) + ":default}");
        }
        value = m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? -1 : node.getStartMark().getLine() + 1;
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").trim();
  }
}
