package ai.spacebot.compactor;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.CompactionCheck;
import ai.spacebot.bus.CompactionDecision;
import ai.spacebot.llm.context.CompactionPolicy;
import ai.spacebot.llm.Prompts;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.ChatJson;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.llm.ToolLoop;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Compactor process on the bus. It is not an LLM: {@link Addresses#COMPACTOR_CHECK} turns a channel's
 * estimated tokens into a {@link CompactionDecision} ({@link CompactionPolicy}), and
 * {@link Addresses#COMPACTOR_SUMMARIZE} asks the agent's {@code compactor} model to summarise a slice of
 * history the channel sends ({@code {agent_id, channel_id, messages}} → {@code {summary}}).
 *
 * <p>One compaction per channel at a time: after answering {@code summarize} for a channel it answers
 * {@code none} instead of {@code summarize} for that channel until the channel's summarise request
 * completes or fails, or {@link #IN_FLIGHT_LIMIT} passes; {@code emergency} is always answered. That
 * bookkeeping is per instance, so the descriptor deploys one.
 *
 * <p>Failures: 400 for a bad body or an unknown agent, 502 when the model call fails or no compactor
 * model is configured (the channel then drops instead of summarising). Nothing here blocks: the model
 * streams on its HTTP client's threads and reports back on this verticle's context.
 */
public final class CompactorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CompactorVerticle.class);
  /** After this long a summarisation the channel never finished no longer holds the channel back. */
  public static final Duration IN_FLIGHT_LIMIT = Duration.ofMinutes(10);

  private final SpacebotConfig config;
  private final ModelRouter router;
  private final Duration inFlightLimit;
  /** Channel key → the timer that forgets the mark. Touched only on this verticle's event loop. */
  private final Map<String, Long> inFlight = new HashMap<>();
  private String systemPrompt;

  public CompactorVerticle(SpacebotConfig config, ModelRouter router) {
    this(config, router, IN_FLIGHT_LIMIT);
  }

  CompactorVerticle(SpacebotConfig config, ModelRouter router, Duration inFlightLimit) {
    this.config = config;
    this.router = router;
    this.inFlightLimit = inFlightLimit;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> Prompts.load("compactor.md")).compose(prompt -> {
      systemPrompt = prompt.strip();
      var bus = vertx.eventBus();
      return Future.all(
          bus.<JsonObject>consumer(Addresses.COMPACTOR_CHECK, this::check).completion(),
          bus.<JsonObject>consumer(Addresses.COMPACTOR_SUMMARIZE, this::summarize).completion());
    });
  }

  @Override
  public Future<?> stop() {
    inFlight.values().forEach(vertx::cancelTimer);
    inFlight.clear();
    return Future.succeededFuture();
  }

  private void check(Message<JsonObject> msg) {
    CompactionCheck check;
    try {
      JsonObject body = msg.body();
      if (body == null) {
        msg.fail(400, "the body must be a JSON object {agent_id, channel_id, estimated_tokens, messages}");
        return;
      }
      check = CompactionCheck.fromJson(body);
    } catch (ClassCastException e) {
      msg.fail(400, "estimated_tokens and messages must be numbers");
      return;
    }
    if (blank(check.agentId()) || blank(check.channelId())) {
      msg.fail(400, blank(check.agentId()) ? "agent_id is required" : "channel_id is required");
      return;
    }
    CompactionDecision decision = CompactionPolicy.decide(check.estimatedTokens(), config.compaction());
    if (decision.action().equals(CompactionDecision.SUMMARIZE)) {
      String key = key(check.agentId(), check.channelId());
      if (inFlight.containsKey(key)) {
        log.debug("[{}/{}] Usage {} but a summarisation is already in flight", check.agentId(), check.channelId(),
            String.format("%.2f", decision.usage()));
        decision = new CompactionDecision(CompactionDecision.NONE, 0.0, decision.usage());
      } else {
        markInFlight(key);
        log.debug("[{}/{}] Usage {}: summarise the oldest {}", check.agentId(), check.channelId(),
            String.format("%.2f", decision.usage()), decision.fraction());
      }
    } else if (decision.action().equals(CompactionDecision.EMERGENCY)) {
      log.info("[{}/{}] Usage {}: emergency drop of the oldest {}", check.agentId(), check.channelId(),
          String.format("%.2f", decision.usage()), decision.fraction());
    }
    msg.reply(decision.toJson());
  }

  private void summarize(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    if (body == null) {
      msg.fail(400, "the body must be a JSON object {agent_id, channel_id, messages}");
      return;
    }
    String agentId;
    String channelId;
    JsonArray raw;
    try {
      agentId = body.getString("agent_id");
      channelId = body.getString("channel_id");
      raw = body.getJsonArray("messages");
    } catch (ClassCastException e) {
      msg.fail(400, "agent_id and channel_id must be strings and messages an array of chat messages");
      return;
    }
    // Whatever happens next, this channel's summarisation is no longer in flight once we answer.
    String key = blank(agentId) || blank(channelId) ? null : key(agentId, channelId);
    String problem = blank(agentId) ? "agent_id is required"
        : blank(channelId) ? "channel_id is required"
        : raw == null || raw.isEmpty() ? "messages is required: the chat messages to summarise"
        : null;
    if (problem != null) {
      done(key);
      msg.fail(400, problem);
      return;
    }
    Optional<AgentConfig> agent = config.agent(agentId);
    if (agent.isEmpty()) {
      done(key);
      msg.fail(400, "agent_id \"" + agentId + "\" is not a configured agent");
      return;
    }
    List<ChatMessage> slice;
    try {
      slice = ChatJson.fromJson(raw);
    } catch (RuntimeException e) {
      done(key);
      msg.fail(400, "messages is not a list of chat messages: " + firstLine(e.getMessage()));
      return;
    }
    String modelId = agent.get().routing().compactor();
    Optional<StreamingChatModel> model = router.model(
        new CallContext(agentId, "compactor", "compactor", channelId, null), modelId);
    if (model.isEmpty()) {
      done(key);
      msg.fail(502, modelId == null ? "no compactor model is configured for agent " + agentId
          : "the compactor model " + modelId + " has no configured provider");
      return;
    }
    List<ChatMessage> prompt = List.of(SystemMessage.from(systemPrompt), UserMessage.from(
        "Summarise this older part of the conversation (" + slice.size() + " messages):\n\n" + Transcript.render(slice)));
    long started = System.nanoTime();
    new ToolLoop(context, model.get(), List.of(), 1, router.requestTimeout(), new ToolLoop.Listener() {})
        .run(prompt)
        .onComplete(ar -> {
          done(key);
          if (ar.failed()) {
            String reason = describe(ar.cause());
            log.warn("[{}/{}] Summarising {} messages failed: {}", agentId, channelId, slice.size(), reason);
            msg.fail(502, reason);
            return;
          }
          String summary = ar.result().text().strip();
          if (summary.isEmpty()) {
            log.warn("[{}/{}] The compactor model returned an empty summary", agentId, channelId);
            msg.fail(502, "the compactor model returned an empty summary");
            return;
          }
          log.info("[{}/{}] Summarised {} messages in {} ms ({} characters)", agentId, channelId, slice.size(),
              (System.nanoTime() - started) / 1_000_000, summary.length());
          msg.reply(new JsonObject().put("summary", summary));
        });
  }

  private void markInFlight(String key) {
    long timer = vertx.setTimer(inFlightLimit.toMillis(), id -> {
      if (inFlight.remove(key, id)) {
        log.info("[{}] A summarisation was not finished within {} s; the channel may compact again", key,
            inFlightLimit.toSeconds());
      }
    });
    inFlight.put(key, timer);
  }

  private void done(String key) {
    if (key == null) {
      return;
    }
    Long timer = inFlight.remove(key);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private static String key(String agentId, String channelId) {
    return agentId + "/" + channelId;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** A short reason for the channel's logs and events: HTTP status and the provider's message, never a stack trace. */
  static String describe(Throwable err) {
    if (err instanceof TimeoutException) {
      return "the compactor model timed out: " + firstLine(err.getMessage());
    }
    Integer status = null;
    String message = null;
    for (Throwable e = err; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (status == null && e instanceof HttpException http) {
        status = http.statusCode();
      }
      if (message == null && e.getMessage() != null && !e.getMessage().isBlank()) {
        message = e.getMessage();
      }
    }
    return "the compactor model call failed" + (status == null ? "" : " (HTTP " + status + ")") + ": "
        + firstLine(providerMessage(message != null ? message : err.getClass().getSimpleName()));
  }

  /** OpenAI-style providers put {@code {"error":{"message":...}}} in the exception's message. */
  private static String providerMessage(String message) {
    String m = message.strip();
    if (m.startsWith("{")) {
      try {
        Object error = new JsonObject(m).getValue("error");
        if (error instanceof JsonObject o && o.getString("message") != null) {
          return o.getString("message");
        }
        if (error instanceof String text) {
          return text;
        }
      } catch (RuntimeException notJson) {
        // fall through to the message as it is
      }
    }
    return m;
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "no details";
    }
    String line = s.strip().lines().findFirst().orElse(s);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
