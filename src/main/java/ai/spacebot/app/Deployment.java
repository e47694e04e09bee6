package ai.spacebot.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code verticles/*.json} descriptor: which verticle class, how many instances, event loop or
 * worker, deployment order and config. Operators edit these to scale a process without a rebuild.
 */
public record Deployment(String name, String className, int order, int instances, boolean worker, JsonObject config) {
  /**
   * The descriptors the jar carries (a jar cannot list its own resource directory); must name every file of
   * {@code verticles/}, which {@code DeploymentTest} checks: a missing one is a process a jar started away from the
   * repository silently never runs.
   */
  static final List<String> BUNDLED = List.of("portal.json", "telegram.json", "discord.json", "slack.json", "twitch.json", "webhook.json",
      "outbox.json", "memory.json", "usage.json", "branch.json", "worker.json", "compactor.json", "cortex.json",
      "channel.json", "api.json");

  public DeploymentOptions options() {
    return new DeploymentOptions()
        .setInstances(instances)
        .setThreadingModel(worker ? ThreadingModel.WORKER : ThreadingModel.EVENT_LOOP)
        .setConfig(config);
  }

  static Deployment parse(String source, String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage());
    }
    String className = json.getString("class");
    if (className == null) {
      throw new IllegalArgumentException(source + ": \"class\" is required");
    }
    int instances = json.getInteger("instances", 1);
    if (instances < 1 || instances > 64) {
      throw new IllegalArgumentException(source + ": \"instances\" must be between 1 and 64");
    }
    String fallbackName = source.replaceAll(".*/", "").replaceAll("\\.json$", "");
    return new Deployment(json.getString("name", fallbackName), className, json.getInteger("order", 100), instances,
        json.getBoolean("worker", false), json.getJsonObject("config", new JsonObject()));
  }

  /** Descriptors from {@code dir} if it exists, else the copies bundled in the jar; sorted by order. */
  static List<Deployment> load(Path dir) throws IOException {
    List<Deployment> out = new ArrayList<>();
    if (dir != null && Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          out.add(parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
      }
    } else {
      for (String name : BUNDLED) {
        try (InputStream in = Deployment.class.getClassLoader().getResourceAsStream("verticles/" + name)) {
          if (in != null) {
            out.add(parse("verticles/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(Deployment::order).thenComparing(Deployment::name));
    return out;
  }
}
