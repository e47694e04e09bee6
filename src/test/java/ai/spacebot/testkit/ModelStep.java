package ai.spacebot.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link ScriptedModelServer}: what the fake model replies to a single
 * chat-completions request. Instances are immutable; {@link #delayed} and {@link #withChunkDelay}
 * return modified copies, so a step can be built once and enqueued many times.
 */
public final class ModelStep {

  /** What kind of answer the server gives. */
  public enum Kind { REPLY, ERROR, HANG }

  /** One function call the model asks for; {@code argumentsJson} is sent verbatim as the arguments string. */
  public record ToolCall(String name, String argumentsJson) {
    public ToolCall {
      Objects.requireNonNull(name, "name");
      argumentsJson = argumentsJson == null ? "" : argumentsJson;
    }
  }

  private final Kind kind;
  private final List<String> textChunks;
  private final List<ToolCall> toolCalls;
  private final int status;
  private final String errorMessage;
  private final Duration delay;
  private final Duration chunkDelay;
  private final String errorCode;
  private final Map<String, String> headers;
  private final int cutAfterFrames;

  private ModelStep(Kind kind, List<String> textChunks, List<ToolCall> toolCalls, int status,
                    String errorMessage, Duration delay, Duration chunkDelay) {
    this(kind, textChunks, toolCalls, status, errorMessage, delay, chunkDelay, null, Map.of(), -1);
  }

  private ModelStep(Kind kind, List<String> textChunks, List<ToolCall> toolCalls, int status,
                    String errorMessage, Duration delay, Duration chunkDelay, String errorCode,
                    Map<String, String> headers, int cutAfterFrames) {
    this.kind = kind;
    this.textChunks = List.copyOf(textChunks);
    this.toolCalls = List.copyOf(toolCalls);
    this.status = status;
    this.errorMessage = errorMessage;
    this.delay = delay;
    this.chunkDelay = chunkDelay;
    this.errorCode = errorCode;
    this.headers = Map.copyOf(headers);
    this.cutAfterFrames = cutAfterFrames;
  }

  private static ModelStep reply(List<String> chunks, List<ToolCall> calls) {
    return new ModelStep(Kind.REPLY, chunks, calls, 200, null, Duration.ZERO, Duration.ZERO);
  }

  /** The message OpenAI sends with an {@code insufficient_quota} 429. */
  public static final String QUOTA_MESSAGE = "You exceeded your current quota, please check your plan and billing details.";

  /**
   * OpenAI's out-of-quota answer: a 429 whose error {@code type} and {@code code} are
   * {@code insufficient_quota} (only the body tells it apart from a rate limit).
   */
  public static ModelStep quotaExceeded() {
    return new ModelStep(Kind.ERROR, List.of(), List.of(), 429, QUOTA_MESSAGE, Duration.ZERO, Duration.ZERO,
        "insufficient_quota", Map.of(), -1);
  }

  /** A response header sent with this step (e.g. {@code Retry-After} on an error). */
  public ModelStep withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ModelStep(kind, textChunks, toolCalls, status, errorMessage, delay, chunkDelay, errorCode, h, cutAfterFrames);
  }

  /**
   * When streaming, send only the first {@code frames} SSE frames (each text chunk is one) and then drop
   * the connection: a failure after the client has seen tokens.
   */
  public ModelStep cutAfter(int frames) {
    if (kind != Kind.REPLY || frames < 1) throw new IllegalArgumentException("cutAfter needs a reply and frames >= 1");
    return new ModelStep(kind, textChunks, toolCalls, status, errorMessage, delay, chunkDelay, errorCode, headers, frames);
  }

  /** Assistant text; streamed as one delta per chunk, concatenated when not streaming. */
  public static ModelStep text(String... chunks) {
    return reply(List.of(chunks), List.of());
  }

  /** An answer with neither text nor tool calls (content null, finish_reason "stop"): a model with nothing to add. */
  public static ModelStep empty() {
    return reply(List.of(), List.of());
  }

  /** A single tool call and no text; finish_reason "tool_calls". */
  public static ModelStep toolCall(String name, String argumentsJson) {
    return reply(List.of(), List.of(new ToolCall(name, argumentsJson)));
  }

  /** Several tool calls in one response (parallel tool calls). */
  public static ModelStep toolCalls(List<ToolCall> calls) {
    if (calls.isEmpty()) throw new IllegalArgumentException("at least one tool call");
    return reply(List.of(), calls);
  }

  public static ModelStep toolCalls(ToolCall... calls) {
    return toolCalls(List.of(calls));
  }

  /** Text followed by a tool call in the same response, as models do when they "think aloud". */
  public static ModelStep textThenToolCall(String text, String name, String argumentsJson) {
    return reply(List.of(text), List.of(new ToolCall(name, argumentsJson)));
  }

  /**
   * An HTTP error with an OpenAI error body. The error type follows the status the way the
   * real API does (429 rate limit, 401 bad key, 5xx server error), so client-side error mapping is exercised.
   */
  public static ModelStep error(int status, String message) {
    if (status < 400) throw new IllegalArgumentException("error status must be >= 400: " + status);
    return new ModelStep(Kind.ERROR, List.of(), List.of(), status, message, Duration.ZERO, Duration.ZERO);
  }

  /** Accept the request and never answer; the connection is dropped only when the server closes. */
  public static ModelStep hang() {
    return new ModelStep(Kind.HANG, List.of(), List.of(), 0, null, Duration.ZERO, Duration.ZERO);
  }

  /** Wait {@code d} (on a timer, never blocking) before sending anything, headers included. */
  public ModelStep delayed(Duration d) {
    return new ModelStep(kind, textChunks, toolCalls, status, errorMessage, requirePositive(d), chunkDelay, errorCode,
        headers, cutAfterFrames);
  }

  /** When streaming, wait {@code d} between SSE chunks (headers and first chunk go out at once). */
  public ModelStep withChunkDelay(Duration d) {
    return new ModelStep(kind, textChunks, toolCalls, status, errorMessage, delay, requirePositive(d), errorCode,
        headers, cutAfterFrames);
  }

  private static Duration requirePositive(Duration d) {
    if (d == null || d.isNegative()) throw new IllegalArgumentException("duration must be >= 0: " + d);
    return d;
  }

  public Kind kind() { return kind; }
  public List<String> textChunks() { return textChunks; }
  public List<ToolCall> toolCalls() { return toolCalls; }
  public int status() { return status; }
  public String errorMessage() { return errorMessage; }
  public Duration delay() { return delay; }
  public Duration chunkDelay() { return chunkDelay; }
  /** The error {@code type} and {@code code} to send instead of the status's usual ones, or null. */
  public String errorCode() { return errorCode; }
  /** Extra response headers. */
  public Map<String, String> headers() { return headers; }
  /** Frames sent before the connection is dropped, or -1 for the whole stream. */
  public int cutAfterFrames() { return cutAfterFrames; }

  /** The whole assistant text, or null when the step has none (OpenAI sends content null then). */
  public String text() {
    return textChunks.isEmpty() ? null : String.join("", textChunks);
  }

  public String finishReason() {
    return toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  @Override
  public String toString() {
    return switch (kind) {
      case REPLY -> "ModelStep.reply(text=" + text() + ", toolCalls=" + toolCalls + ", delay=" + delay + ")";
      case ERROR -> "ModelStep.error(" + status + ", " + errorMessage + (errorCode == null ? "" : ", " + errorCode)
          + (headers.isEmpty() ? "" : ", " + headers) + ")";
      case HANG -> "ModelStep.hang()";
    };
  }
}
