package ai.spacebot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds OpenAI Chat Completions payloads (streamed chunks, whole completions, errors) for
 * {@link ScriptedModelServer}. Kept apart from the server so the wire format lives in one place.
 */
final class OpenAiWire {

  /** Tool-call arguments are streamed in pieces of this many chars, like the real API does. */
  static final int ARGUMENT_PIECE = 8;
  static final String DONE_FRAME = "data: [DONE]\n\n";

  private OpenAiWire() {}

  /** Identity of one response: the values repeated in every chunk. */
  record Envelope(String id, long created, String model, int requestIndex) {
    String callId(int callIndex) {
      return "call_" + requestIndex + "_" + callIndex;
    }
  }

  static String frame(JsonObject json) {
    return "data: " + json.encode() + "\n\n";
  }

  /** Every SSE frame of a streamed reply, in order, ending with [DONE]. */
  static List<String> streamFrames(ModelStep step, Envelope env, JsonObject usage) {
    List<JsonObject> deltas = new ArrayList<>();
    for (String chunk : step.textChunks()) {
      deltas.add(new JsonObject().put("content", chunk));
    }
    List<ModelStep.ToolCall> calls = step.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ModelStep.ToolCall call = calls.get(i);
      // First chunk of a call announces id, type and name with empty arguments ...
      deltas.add(toolCallDelta(new JsonObject()
          .put("index", i).put("id", env.callId(i)).put("type", "function")
          .put("function", new JsonObject().put("name", call.name()).put("arguments", ""))));
      // ... then the arguments follow in pieces that carry only index and arguments.
      for (String piece : split(call.argumentsJson(), ARGUMENT_PIECE)) {
        deltas.add(toolCallDelta(new JsonObject()
            .put("index", i).put("function", new JsonObject().put("arguments", piece))));
      }
    }
    if (deltas.isEmpty()) deltas.add(new JsonObject().put("content", ""));
    // OpenAI names the role once, in the first delta of the response.
    deltas.set(0, new JsonObject().put("role", "assistant").mergeIn(deltas.get(0)));

    List<String> frames = new ArrayList<>();
    for (JsonObject delta : deltas) frames.add(frame(chunk(env, delta, null)));
    frames.add(frame(chunk(env, new JsonObject(), step.finishReason())));
    if (usage != null) {
      frames.add(frame(chunkBase(env).put("choices", new JsonArray()).put("usage", usage)));
    }
    frames.add(DONE_FRAME);
    return frames;
  }

  private static JsonObject toolCallDelta(JsonObject toolCall) {
    return new JsonObject().put("tool_calls", new JsonArray().add(toolCall));
  }

  private static JsonObject chunkBase(Envelope env) {
    return new JsonObject()
        .put("id", env.id()).put("object", "chat.completion.chunk")
        .put("created", env.created()).put("model", env.model());
  }

  private static JsonObject chunk(Envelope env, JsonObject delta, String finishReason) {
    JsonObject choice = new JsonObject().put("index", 0).put("delta", delta);
    choice.put("finish_reason", finishReason); // explicit null until the last chunk, as OpenAI sends it
    return chunkBase(env).put("choices", new JsonArray().add(choice));
  }

  /** A whole non-streamed {@code chat.completion} object. */
  static JsonObject completion(ModelStep step, Envelope env, JsonObject usage) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", step.text());
    if (!step.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (int i = 0; i < step.toolCalls().size(); i++) {
        ModelStep.ToolCall call = step.toolCalls().get(i);
        calls.add(new JsonObject().put("id", env.callId(i)).put("type", "function")
            .put("function", new JsonObject().put("name", call.name()).put("arguments", call.argumentsJson())));
      }
      message.put("tool_calls", calls);
    }
    JsonObject choice = new JsonObject().put("index", 0).put("message", message)
        .put("finish_reason", step.finishReason());
    return new JsonObject()
        .put("id", env.id()).put("object", "chat.completion")
        .put("created", env.created()).put("model", env.model())
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage);
  }

  /** Rough token counts (chars / 4), enough for code that reads usage to see plausible numbers. */
  static JsonObject usage(JsonObject requestBody, ModelStep step) {
    JsonArray messages = requestBody.getJsonArray("messages");
    int promptChars = messages == null ? 0 : messages.encode().length();
    int completionChars = step.text() == null ? 0 : step.text().length();
    for (ModelStep.ToolCall call : step.toolCalls()) {
      completionChars += call.name().length() + call.argumentsJson().length();
    }
    int prompt = Math.max(1, promptChars / 4);
    int completion = Math.max(1, completionChars / 4);
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  /** OpenAI error body with an explicit type and code (e.g. {@code insufficient_quota}); null = by status. */
  static JsonObject error(int status, String message, String typeAndCode) {
    if (typeAndCode == null) return error(status, message);
    return new JsonObject().put("error", new JsonObject()
        .put("message", message).put("type", typeAndCode).put("param", null).put("code", typeAndCode));
  }

  /** OpenAI error body; type and code follow the status like the real API's common cases. */
  static JsonObject error(int status, String message) {
    String type;
    String code;
    switch (status) {
      case 401 -> { type = "invalid_request_error"; code = "invalid_api_key"; }
      case 403 -> { type = "permission_error"; code = "permission_denied"; }
      case 404 -> { type = "invalid_request_error"; code = "model_not_found"; }
      case 429 -> { type = "rate_limit_exceeded"; code = "rate_limit_exceeded"; }
      default -> {
        type = status >= 500 ? "server_error" : "invalid_request_error";
        code = null;
      }
    }
    return new JsonObject().put("error", new JsonObject()
        .put("message", message).put("type", type).put("param", null).put("code", code));
  }

  static JsonObject models(long created) {
    JsonArray data = new JsonArray();
    for (String id : List.of("mock", "mock-large")) {
      data.add(new JsonObject().put("id", id).put("object", "model").put("created", created).put("owned_by", "testkit"));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /** Splits into pieces of at most {@code size} chars without cutting a surrogate pair. */
  static List<String> split(String s, int size) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int end = Math.min(s.length(), start + size);
      if (end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) end++;
      pieces.add(s.substring(start, end));
      start = end;
    }
    return pieces;
  }
}
