package ai.spacebot.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prompt templates from {@code src/main/resources/prompts/}, with {@code {{name}}} placeholders. */
public final class Prompts {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

  private Prompts() {}

  public static String load(String name) {
    try (InputStream in = Prompts.class.getClassLoader().getResourceAsStream("prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompt prompts/" + name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final java.time.format.DateTimeFormatter CLOCK =
      java.time.format.DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm z");

  /** The current time as every prompt shows it (minute precision). */
  public static String clock() {
    return java.time.ZonedDateTime.now().format(CLOCK);
  }

  /** Replaces each {@code {{key}}} with its value; unknown keys are left as written. */
  public static String render(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }
}
