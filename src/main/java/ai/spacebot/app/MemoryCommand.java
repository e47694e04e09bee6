package ai.spacebot.app;

import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spacebot memory add|search|forget|import|reindex}: talks to the running server's memory API. */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "Work with an agent's memories (the server must be running).",
    subcommands = {MemoryCommand.Add.class, MemoryCommand.Search.class, MemoryCommand.Forget.class, MemoryImport.class,
        MemoryCommand.Reindex.class})
final class MemoryCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Save a memory.")
  static final class Add implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--agent", defaultValue = "main", description = "Agent id (default: main).") String agent;
    @Option(names = "--type", defaultValue = "fact", description = "identity, goal, human, decision, todo, preference, fact, event, observation.") String type;
    @Option(names = "--importance", description = "0 to 1 (default: the type's).") Double importance;
    @Parameters(arity = "1..*", description = "The text to remember.") String[] words;

    @Override
    public Integer call() {
      JsonObject body = new JsonObject().put("agent_id", agent).put("memory_type", type).put("content", String.join(" ", words))
          .put("source", "cli");
      if (importance != null) {
        body.put("importance", importance);
      }
      JsonObject r = api(options.load(), "POST", "/api/agents/memories", body);
      JsonObject m = r.getJsonObject("memory");
      System.out.println((r.getBoolean("merged") ? "Merged into " : "Saved ") + m.getString("id") + " (" + m.getString("memory_type")
          + ", importance " + m.getDouble("importance") + ")");
      JsonArray advice = r.getJsonArray("consolidation_candidates");
      if (!advice.isEmpty()) {
        System.out.println("Similar memories worth consolidating: " + String.join(", ", advice.stream().map(String::valueOf).toList()));
      }
      return 0;
    }
  }

  @Command(name = "search", mixinStandardHelpOptions = true, description = "Recall memories.")
  static final class Search implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--agent", defaultValue = "main") String agent;
    @Option(names = "--mode", defaultValue = "hybrid", description = "hybrid, recent, important, typed, fulltext or vector.") String mode;
    @Option(names = "--type", description = "Only this memory type.") String type;
    @Option(names = "--limit", defaultValue = "10") int limit;
    @Parameters(arity = "0..*", description = "What to look for (needed for hybrid).") String[] words;

    @Override
    public Integer call() {
      StringBuilder path = new StringBuilder("/api/agents/memories/search?agent_id=").append(enc(agent)).append("&mode=").append(enc(mode))
          .append("&limit=").append(limit);
      if (words != null && words.length > 0) {
        path.append("&query=").append(enc(String.join(" ", words)));
      }
      if (type != null) {
        path.append("&memory_type=").append(enc(type));
      }
      JsonArray results = api(options.load(), "GET", path.toString(), null).getJsonArray("results");
      if (results.isEmpty()) {
        System.out.println("No memories found.");
      }
      for (int i = 0; i < results.size(); i++) {
        JsonObject m = results.getJsonObject(i);
        System.out.printf("%.4f  %-11s %s  %s%n", m.getDouble("score"), m.getString("memory_type"), m.getString("id"), m.getString("content"));
      }
      return 0;
    }
  }

  @Command(name = "forget", mixinStandardHelpOptions = true, description = "Forget a memory: it never comes back from recall.")
  static final class Forget implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Parameters(index = "0", description = "The memory id.") String id;

    @Override
    public Integer call() {
      api(options.load(), "DELETE", "/api/agents/memories/" + enc(id), null);
      System.out.println("Forgot " + id);
      return 0;
    }
  }

  @Command(name = "reindex", mixinStandardHelpOptions = true,
      description = "Re-embed every memory of an agent and rebuild its search index (after a model change or to repair the index).")
  static final class Reindex implements Callable<Integer> {
    @Mixin Main.ConfigOptions options = new Main.ConfigOptions();
    @Option(names = "--agent", defaultValue = "main") String agent;

    @Override
    public Integer call() {
      SpacebotConfig config = options.load();
      ProgressBar bar = ProgressBar.forStdout("memories", 0);
      int[] last = {0};
      JsonObject end = stream(config, "/api/agents/memories/reindex?agent_id=" + enc(agent), line -> {
        if (line.containsKey("done")) {
          last[0] = line.getInteger("done");
          bar.update(last[0], line.getInteger("total"));
        }
      });
      if (end.containsKey("error")) {
        throw new Main.UserError("reindex stopped after " + last[0] + " memories: " + end.getString("error"), 1);
      }
      bar.finish(end.getInteger("reindexed"), "Reindexed " + end.getInteger("reindexed") + " memories of agent " + agent + ".");
      return 0;
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * A POST answered with NDJSON lines: each is given to {@code onLine}; the last one is returned. A
   * non-200 answer or a stopped server becomes a one-line CLI error.
   */
  static JsonObject stream(SpacebotConfig config, String path, java.util.function.Consumer<JsonObject> onLine) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(Daemon.localUrl(config) + path))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (config.api().authToken() != null) {
      req.header("Authorization", "Bearer " + config.api().authToken());
    }
    try {
      HttpResponse<java.util.stream.Stream<String>> res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
          .send(req.build(), HttpResponse.BodyHandlers.ofLines());
      if (res.statusCode() != 200) {
        String body = String.join("\n", res.body().toList());
        String error;
        try {
          error = new JsonObject(body).getString("error", body);
        } catch (RuntimeException e) {
          error = "request failed with HTTP " + res.statusCode();
        }
        throw new Main.UserError(error, res.statusCode() == 404 ? 4 : 2);
      }
      JsonObject[] last = {new JsonObject().put("error", "the server closed the stream without an answer")};
      res.body().filter(l -> !l.isBlank()).forEach(l -> {
        last[0] = new JsonObject(l);
        onLine.accept(last[0]);
      });
      return last[0];
    } catch (IOException e) {
      throw new Main.UserError("Spacebot is not answering at " + Daemon.localUrl(config) + "; start it with 'spacebot start'",
          Main.EXIT_NOT_RUNNING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.UserError("interrupted", 1);
    }
  }

  /** One API call; a refused request or a stopped server becomes a one-line CLI error. */
  static JsonObject api(SpacebotConfig config, String method, String path, JsonObject body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(Daemon.localUrl(config) + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (config.api().authToken() != null) {
      req.header("Authorization", "Bearer " + config.api().authToken());
    }
    HttpResponse<String> res;
    try {
      res = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build().send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Main.UserError("Spacebot is not answering at " + Daemon.localUrl(config) + "; start it with 'spacebot start'",
          Main.EXIT_NOT_RUNNING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.UserError("interrupted", 1);
    }
    JsonObject json;
    try {
      json = new JsonObject(res.body());
    } catch (RuntimeException e) {
      json = new JsonObject().put("error", res.body());
    }
    if (res.statusCode() != 200) {
      throw new Main.UserError(json.getString("error", "request failed with HTTP " + res.statusCode()), res.statusCode() == 404 ? 4 : 2);
    }
    return json;
  }
}
