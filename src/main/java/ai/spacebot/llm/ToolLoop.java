package ai.spacebot.llm;

import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.tools.Tool;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Our own explicit tool loop over a LangChain4j streaming model: request → tool calls executed →
 * results fed back → again, until the model answers without tools, a tool ends the turn, or
 * {@code maxTurns} model calls were made. Owning the loop (instead of LangChain4j's AI services) keeps
 * limits, events and cancellation in our hands.
 *
 * <p>Everything here runs on the owning process's context: streaming callbacks arrive on the HTTP
 * client's threads and are moved onto the context before anything is touched.
 */
public final class ToolLoop {
  /** Callbacks on the owning context, in stream order. */
  public interface Listener {
    default void onTextDelta(String delta) {}

    default void onPartialToolCall(PartialToolCall call) {}

    default void onToolStarted(ToolExecutionRequest call) {}

    default void onToolCompleted(ToolExecutionRequest call, ToolOutput output) {}

    /** A new model call begins (1-based). */
    default void onModelCall(int call) {}
  }

  /**
   * @param text the model's plain text in its last response (may be empty)
   * @param messages the AI and tool-result messages this loop added, in order
   * @param endedByTool a tool (reply, skip) ended the turn
   * @param hitTurnLimit the model still wanted tools when {@code maxTurns} calls were used up
   */
  public record Result(String text, List<ChatMessage> messages, boolean endedByTool, int modelCalls, TokenUsage usage,
      boolean hitTurnLimit) {}

  /** Why a loop stopped early: {@link #cancel} was called. */
  public static final class Cancelled extends RuntimeException {
    public Cancelled(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Context context;
  private final StreamingChatModel model;
  private final Map<String, Tool> tools = new LinkedHashMap<>();
  /** Tools the model is not shown but whose calls are answered (a refusal for a tool its caller may not cause). */
  private final Map<String, Tool> unlisted = new LinkedHashMap<>();
  private final int maxTurns;
  private final Duration timeout;
  private final Listener listener;
  /** Tool results are redacted before the model sees them: a command's output may print a secret it was given. */
  private final SecretScrubber scrubber;
  private Cancelled cancelled;
  private Promise<ChatResponse> inFlight;

  public ToolLoop(Context context, StreamingChatModel model, List<Tool> tools, int maxTurns, Duration timeout, Listener listener) {
    this.context = context;
    this.model = model;
    tools.forEach(t -> this.tools.put(t.name(), t));
    this.maxTurns = maxTurns;
    this.timeout = timeout;
    this.listener = listener;
    this.scrubber = SecretScrubber.of(context.owner());
  }

  /**
   * Tools left out of every request that still answer when the model calls them anyway (a model may call a tool it
   * saw in history or guessed): their result tells it why not.
   */
  public ToolLoop unlisted(List<Tool> answered) {
    answered.forEach(t -> unlisted.putIfAbsent(t.name(), t));
    return this;
  }

  public Future<Result> run(List<ChatMessage> prompt) {
    return step(prompt, new ArrayList<>(), 1, null);
  }

  /**
   * Stops the loop: the model call in flight is abandoned (its stream is ignored), no further call or
   * tool starts, and {@link #run} fails with {@link Cancelled}. Call on the owning context.
   */
  public void cancel(String reason) {
    if (cancelled == null) {
      cancelled = new Cancelled(reason);
      if (inFlight != null) {
        inFlight.tryFail(cancelled);
      }
    }
  }

  public boolean isCancelled() {
    return cancelled != null;
  }

  private Future<Result> step(List<ChatMessage> prompt, List<ChatMessage> added, int call, TokenUsage usage) {
    if (cancelled != null) {
      return Future.failedFuture(cancelled);
    }
    List<ChatMessage> messages = new ArrayList<>(prompt);
    messages.addAll(added);
    ChatRequest.Builder request = ChatRequest.builder().messages(messages);
    if (!tools.isEmpty()) {
      request.toolSpecifications(tools.values().stream().map(Tool::specification).toList());
    }
    listener.onModelCall(call);
    return stream(request.build()).compose(response -> {
      AiMessage ai = response.aiMessage();
      // An empty ending (nothing to add after tool results) stays out of history: providers reject an
      // assistant message with neither content nor tool calls on every later request.
      if (ai.hasToolExecutionRequests() || (ai.text() != null && !ai.text().isBlank())) {
        added.add(ai);
      }
      TokenUsage total = usage == null ? response.tokenUsage() : usage.add(response.tokenUsage());
      String text = ai.text() == null ? "" : ai.text();
      if (!ai.hasToolExecutionRequests()) {
        return Future.succeededFuture(new Result(text, added, false, call, total, false));
      }
      return executeAll(ai.toolExecutionRequests(), added).compose(endsTurn -> {
        if (cancelled != null) {
          return Future.failedFuture(cancelled);
        }
        if (endsTurn || call >= maxTurns) {
          return Future.succeededFuture(new Result(text, added, endsTurn, call, total, !endsTurn));
        }
        return step(prompt, added, call + 1, total);
      });
    });
  }

  /** Executes the calls one after another (their order can matter: react, then reply). */
  private Future<Boolean> executeAll(List<ToolExecutionRequest> calls, List<ChatMessage> added) {
    Future<Boolean> chain = Future.succeededFuture(false);
    for (ToolExecutionRequest call : calls) {
      chain = chain.compose(endsSoFar -> cancelled != null ? Future.failedFuture(cancelled) : execute(call).map(output -> {
        String scrubbed = scrubber.redact(output.text());
        Tool tool = tools.getOrDefault(call.name(), unlisted.get(call.name()));
        // Outside content is data to the model, never instructions (see Fence).
        String text = tool != null && tool.fencesResult() ? Fence.wrap("tool " + call.name(), scrubbed) : scrubbed;
        added.add(ToolExecutionResultMessage.from(call, text));
        return endsSoFar || output.endsTurn();
      }));
    }
    return chain;
  }

  private Future<ToolOutput> execute(ToolExecutionRequest call) {
    listener.onToolStarted(call);
    Tool tool = tools.getOrDefault(call.name(), unlisted.get(call.name()));
    Future<ToolOutput> result;
    if (tool == null) {
      result = Future.succeededFuture(ToolOutput.error("Unknown tool \"" + call.name() + "\". Available: " + tools.keySet()));
    } else {
      JsonObject args;
      try {
        String raw = call.arguments();
        args = raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
      } catch (DecodeException e) {
        args = null;
      }
      if (args == null) {
        result = Future.succeededFuture(ToolOutput.error("The arguments were not valid JSON; call " + call.name() + " again with a JSON object."));
      } else {
        try {
          result = tool.execute(args).recover(err -> Future.succeededFuture(ToolOutput.error("Error: " + err.getMessage())));
        } catch (IllegalArgumentException e) {
          result = Future.succeededFuture(ToolOutput.error("Error: " + e.getMessage()));
        }
      }
    }
    return result.onSuccess(output -> listener.onToolCompleted(call, output));
  }

  private Future<ChatResponse> stream(ChatRequest request) {
    Promise<ChatResponse> promise = Promise.promise();
    inFlight = promise;
    long timer = context.owner().setTimer(timeout.toMillis(), id ->
        promise.tryFail(new TimeoutException("the model did not finish within " + timeout.toSeconds() + " s")));
    model.chat(request, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        context.runOnContext(v -> {
          if (!promise.future().isComplete()) {
            listener.onTextDelta(partial);
          }
        });
      }

      @Override
      public void onPartialToolCall(PartialToolCall partial) {
        context.runOnContext(v -> {
          if (!promise.future().isComplete()) {
            listener.onPartialToolCall(partial);
          }
        });
      }

      @Override
      public void onCompleteToolCall(CompleteToolCall complete) {}

      @Override
      public void onCompleteResponse(ChatResponse response) {
        context.runOnContext(v -> promise.tryComplete(response));
      }

      @Override
      public void onError(Throwable error) {
        context.runOnContext(v -> promise.tryFail(error));
      }
    });
    return promise.future().onComplete(x -> context.owner().cancelTimer(timer));
  }
}
