package ai.spacebot.app;

import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spacebot memory import FILE.jsonl}: one memory per line, in the API's shape ({@code content},
 * {@code memory_type}, {@code importance}, {@code source}, ...). The whole file is checked before
 * anything is sent, so a typo on line 9000 does not leave half an import behind; batches then go to
 * the server, which embeds each batch in one call and saves it in one transaction.
 */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import memories from a JSONL file (one memory per line).")
final class MemoryImport implements Callable<Integer> {
  private static final Pattern ENTRY = Pattern.compile("memories\\[(\\d+)]\\.?");
  private static final int MAX_REPORTED = 10;

  @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
  @Option(names = "--agent", defaultValue = "main", description = "Agent id (default: main).") String agent;
  @Option(names = "--batch", defaultValue = "256", description = "Memories per request, 1 to 1000 (default: 256).") int batchSize;
  @Option(names = "--from-line", defaultValue = "1", description = "Start at this line (to resume an interrupted import).") int fromLine;
  @Parameters(index = "0", description = "The JSONL file.") Path file;

  /** A parsed line and where it came from. */
  private record Entry(int line, JsonObject memory) {}

  @Override
  public Integer call() {
    if (batchSize < 1 || batchSize > 1000) {
      throw new Main.UserError("--batch must be between 1 and 1000", 2);
    }
    List<Entry> entries = read();
    SpacebotConfig config = options.load();
    ProgressBar bar = ProgressBar.forStdout("memories", entries.size());
    int done = 0;
    long merged = 0;
    for (int start = 0; start < entries.size(); start += batchSize) {
      List<Entry> batch = entries.subList(start, Math.min(entries.size(), start + batchSize));
      JsonArray memories = new JsonArray(batch.stream().map(Entry::memory).toList());
      JsonObject result;
      try {
        result = MemoryCommand.api(config, "POST", "/api/agents/memories/import",
            new JsonObject().put("agent_id", agent).put("memories", memories));
      } catch (Main.UserError e) {
        if (done > 0 && System.console() != null) {
          System.out.println();
        }
        throw new Main.UserError(file + ": " + lineOf(e.getMessage(), batch) + " (" + done + " memories imported before it; fix it and "
            + "run again with --from-line " + batch.get(0).line() + ")", e.exitCode);
      }
      done += result.getInteger("imported");
      merged += result.getLong("merged");
      bar.update(done);
    }
    bar.finish(done, "Imported " + done + (done == 1 ? " memory" : " memories") + " into agent " + agent + (merged > 0 ? " (" + merged + " merged into human anchors)" : "")
        + ".");
    return 0;
  }

  /** The server names a bad entry as memories[i]; the user knows it as a line of the file. */
  private static String lineOf(String message, List<Entry> batch) {
    Matcher m = ENTRY.matcher(message);
    if (m.find()) {
      int i = Integer.parseInt(m.group(1));
      if (i < batch.size()) {
        return "line " + batch.get(i).line() + ": " + m.replaceFirst("");
      }
    }
    return message;
  }

  private List<Entry> read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Main.UserError("cannot read " + file + ": " + e.getMessage(), 2);
    }
    List<Entry> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = Math.max(0, fromLine - 1); i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      String problem = null;
      JsonObject m = null;
      try {
        m = new JsonObject(text);
        Object content = m.getValue("content");
        if (!(content instanceof String s) || s.isBlank()) {
          problem = "content is required and must be a non-empty string";
        } else if (m.containsKey("agent_id") && !agent.equals(m.getValue("agent_id"))) {
          problem = "agent_id \"" + m.getValue("agent_id") + "\" differs from --agent " + agent;
        } else {
          m.remove("agent_id");
        }
      } catch (DecodeException | ClassCastException e) {
        problem = "not a JSON object";
      }
      if (problem != null) {
        problems.add("line " + (i + 1) + ": " + problem);
      } else {
        out.add(new Entry(i + 1, m));
      }
    }
    if (!problems.isEmpty()) {
      String shown = String.join("\n  ", problems.subList(0, Math.min(MAX_REPORTED, problems.size())));
      String more = problems.size() > MAX_REPORTED ? "\n  ... and " + (problems.size() - MAX_REPORTED) + " more" : "";
      throw new Main.UserError(file + " has " + problems.size() + " bad line(s); nothing was imported:\n  " + shown + more, 2);
    }
    if (out.isEmpty()) {
      throw new Main.UserError(file + " holds no memories" + (fromLine > 1 ? " from line " + fromLine : ""), 2);
    }
    return out;
  }
}
