package ai.spacebot.bench.quality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The templates the corpus is generated from, read from {@code bench/data/retrieval-quality-topics.txt}
 * (its header documents the format). Kept as data so the dataset can grow without touching code.
 */
public record CorpusSpec(Map<String, List<String>> pools, Map<String, List<String>> smalltalk, List<String> acks,
    List<Conversation> conversations, List<Topic> topics) {

  public enum Scope { WORK, COMMUNITY, ANY }

  public enum Key { PROJECT, ROW, PERSON }

  /** A text and, where the data gives one, a paraphrase of it sharing no content word. */
  public record Value(String text, String alt) {}

  public record Project(String name, String desc, String alt) {}

  public record Conversation(String name, Scope scope, List<Project> projects) {}

  public record Topic(String name, String kind, Scope scope, Key key, String group, List<String> fields, List<List<Value>> rows,
      List<QuestionKind> kinds, List<String> evidence, List<String> parts, List<String> stale, List<String> asks,
      List<String> nears, Map<QuestionKind, List<String>> questions, String answer) {

    boolean multiPart() {
      return !parts.isEmpty();
    }
  }

  public static CorpusSpec load(Path file) throws IOException {
    return new Parser().parse(Files.readAllLines(file));
  }

  private static final class Parser {
    private final Map<String, List<String>> pools = new LinkedHashMap<>();
    private final Map<String, List<String>> smalltalk = new LinkedHashMap<>();
    private final List<String> acks = new ArrayList<>();
    private final List<Conversation> conversations = new ArrayList<>();
    private final List<Topic> topics = new ArrayList<>();
    private String section;
    private String name;
    private Map<String, List<String>> entries;

    CorpusSpec parse(List<String> lines) {
      int n = 0;
      for (String raw : lines) {
        n++;
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        try {
          if (line.startsWith("[") && line.endsWith("]")) {
            finish();
            String[] head = line.substring(1, line.length() - 1).split(" ", 2);
            section = head[0];
            name = head.length > 1 ? head[1] : null;
            entries = new LinkedHashMap<>();
          } else {
            line(line);
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("line " + n + ": " + e.getMessage(), e);
        }
      }
      finish();
      return new CorpusSpec(pools, smalltalk, acks, conversations, topics);
    }

    private void line(String line) {
      switch (section) {
        case "people", "newcomers", "clients", "venues", "dishes", "spots" -> pools.computeIfAbsent(section, s -> new ArrayList<>()).add(line);
        case "smalltalk" -> smalltalk.computeIfAbsent(name, s -> new ArrayList<>()).add(line);
        case "ack" -> acks.add(line);
        case "conversation", "topic" -> {
          int colon = line.indexOf(':');
          if (colon < 0) {
            throw new IllegalArgumentException("expected 'key: value'");
          }
          entries.computeIfAbsent(line.substring(0, colon).strip(), k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        default -> throw new IllegalArgumentException("unknown section [" + section + "]");
      }
    }

    private void finish() {
      if ("conversation".equals(section)) {
        List<Project> projects = all("project").stream().map(p -> {
          String[] f = p.split("\\|");
          return new Project(f[0].strip(), f[1].strip(), f[2].strip());
        }).toList();
        conversations.add(new Conversation(name, scope(one("scope")), projects));
      } else if ("topic".equals(section)) {
        topics.add(topic());
      }
    }

    private Topic topic() {
      List<String> fields = entries.containsKey("fields")
          ? List.of(one("fields").split("\\s*,\\s*")) : List.of();
      List<List<Value>> rows = all("row").stream().map(r -> {
        String[] cols = r.split("\\|");
        if (cols.length != fields.size()) {
          throw new IllegalArgumentException("topic " + name + ": row '" + r + "' needs " + fields.size() + " columns");
        }
        List<Value> values = new ArrayList<>();
        for (String c : cols) {
          String[] v = c.split("~");
          values.add(new Value(v[0].strip(), v.length > 1 ? v[1].strip() : null));
        }
        return List.copyOf(values);
      }).toList();
      Map<QuestionKind, List<String>> questions = new EnumMap<>(QuestionKind.class);
      for (QuestionKind k : QuestionKind.values()) {
        if (entries.containsKey(k.wireName())) {
          questions.put(k, all(k.wireName()));
        }
      }
      List<QuestionKind> kinds = entries.containsKey("kinds")
          ? List.of(one("kinds").split("\\s*,\\s*")).stream().map(QuestionKind::parse).toList()
          : List.of(QuestionKind.values());
      for (QuestionKind k : kinds) {
        if (!questions.containsKey(k)) {
          throw new IllegalArgumentException("topic " + name + " supports " + k.wireName() + " questions but has no template");
        }
      }
      Key key = Key.valueOf(one("key").toUpperCase(Locale.ROOT));
      if (key == Key.ROW && rows.isEmpty()) {
        throw new IllegalArgumentException("topic " + name + " is keyed by row but has none");
      }
      if (all("evidence").isEmpty() == all("part").isEmpty()) {
        throw new IllegalArgumentException("topic " + name + " needs either evidence or part lines");
      }
      return new Topic(name, one("kind"), scope(one("scope")), key, entries.containsKey("group") ? one("group") : name, fields, rows,
          kinds, all("evidence"), all("part"), all("stale"), all("ask"), all("near"), questions, one("answer"));
    }

    private List<String> all(String key) {
      return List.copyOf(entries.getOrDefault(key, List.of()));
    }

    private String one(String key) {
      List<String> v = entries.get(key);
      if (v == null || v.size() != 1) {
        throw new IllegalArgumentException(section + " " + name + ": needs exactly one '" + key + ":' line");
      }
      return v.get(0);
    }

    private static Scope scope(String s) {
      return Scope.valueOf(s.toUpperCase(Locale.ROOT));
    }
  }
}
