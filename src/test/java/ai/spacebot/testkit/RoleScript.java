package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * A {@link ScriptedModelServer} responder for several processes at once: each request is told apart by
 * its system prompt (channel, branch, worker, compactor) and answered from that role's own queue, so the
 * order in which concurrent processes call the model does not matter. An empty queue uses the role's
 * fallback (by default plain "ok" text).
 */
public final class RoleScript implements Function<RecordedRequest, ModelStep> {
  public enum Role { CHANNEL, BRANCH, WORKER, COMPACTOR }

  private final Map<Role, Queue<Function<RecordedRequest, ModelStep>>> queues = new ConcurrentHashMap<>();
  private final Map<Role, Function<RecordedRequest, ModelStep>> fallbacks = new ConcurrentHashMap<>();

  /** Installs a fresh script as the server's responder. */
  public static RoleScript on(ScriptedModelServer server) {
    RoleScript script = new RoleScript();
    server.reset();
    server.respondWith(script);
    return script;
  }

  public RoleScript then(Role role, ModelStep step) {
    return then(role, r -> step);
  }

  /** A step computed from the request (e.g. echoing a tool result). */
  public RoleScript then(Role role, Function<RecordedRequest, ModelStep> step) {
    queues.computeIfAbsent(role, r -> new ConcurrentLinkedQueue<>()).add(step);
    return this;
  }

  public RoleScript otherwise(Role role, Function<RecordedRequest, ModelStep> step) {
    fallbacks.put(role, step);
    return this;
  }

  @Override
  public ModelStep apply(RecordedRequest request) {
    Role role = roleOf(request);
    Queue<Function<RecordedRequest, ModelStep>> queue = queues.get(role);
    Function<RecordedRequest, ModelStep> next = queue == null ? null : queue.poll();
    if (next == null) {
      next = fallbacks.getOrDefault(role, r -> ModelStep.text("ok"));
    }
    return next.apply(request);
  }

  public static Role roleOf(RecordedRequest request) {
    List<JsonObject> system = request.messagesWithRole("system");
    String prompt = system.isEmpty() ? "" : String.valueOf(RecordedRequest.contentText(system.get(0)));
    if (prompt.startsWith("You are a branch of")) {
      return Role.BRANCH;
    }
    if (prompt.startsWith("You are a worker for")) {
      return Role.WORKER;
    }
    if (request.toolNames().contains("reply")) {
      return Role.CHANNEL;
    }
    return Role.COMPACTOR;
  }

  /** The requests one role made so far, in arrival order. */
  public static List<RecordedRequest> of(ScriptedModelServer server, Role role) {
    return server.requests().stream().filter(r -> roleOf(r) == role).toList();
  }

  /** The last tool result the request carries, or "" (e.g. to echo a shell output back). */
  public static String lastToolResult(RecordedRequest r) {
    List<String> results = r.toolResults();
    return results.isEmpty() ? "" : results.get(results.size() - 1);
  }

  /**
   * The content of a text fenced as data (see {@code ai.spacebot.llm.Fence}): what is inside the block, with any
   * text before the block (a result's header) dropped; a text without a fence as it is.
   */
  public static String unfenced(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?s)<<<data from=\"[^\"]*\" id=([0-9a-f]+)>>>\n(.*)\n<<<end data id=\\1>>>").matcher(text);
    return m.find() ? m.group(2) : text;
  }

  /** A tool call whose arguments are built as JSON. */
  public static ModelStep call(String tool, JsonObject args) {
    return ModelStep.toolCall(tool, args.encode());
  }

  public static ModelStep reply(String content) {
    return call("reply", new JsonObject().put("content", content));
  }
}
