package ai.spacebot.channel;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.llm.PartialJsonString;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.secrets.StreamGuard;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.PartialToolCall;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams a turn's text to the event stream as it arrives, including the content of a streaming reply call. A
 * {@link StreamGuard} holds back the tail that could still become a secret, and stops the stream for good when a
 * credential format shows up (the reply is then withheld when it is delivered).
 */
final class TurnStreamer implements ToolLoop.Listener {
  private final EventPublisher events;
  private final String agentId;
  private final String conversationId;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, StringBuilder> replyArgs = new HashMap<>();
  private final Map<Integer, String> toolNames = new HashMap<>();
  private final StreamGuard guard;
  private String streamed = "";
  /** The text of the current model call as it arrived (unredacted, never published as is). */
  private String raw = "";

  TurnStreamer(EventPublisher events, SecretScrubber scrubber, String agentId, String conversationId) {
    this.events = events;
    this.guard = new StreamGuard(scrubber);
    this.agentId = agentId;
    this.conversationId = conversationId;
  }

  @Override
  public void onModelCall(int call) {
    flush();
    guard.reset();
    raw = "";
    text.setLength(0);
    replyArgs.clear();
    toolNames.clear();
  }

  @Override
  public void onTextDelta(String delta) {
    text.append(delta);
    emit(text.toString());
  }

  @Override
  public void onPartialToolCall(PartialToolCall call) {
    if (call.name() != null) {
      toolNames.put(call.index(), call.name());
    }
    if (!"reply".equals(toolNames.get(call.index())) || call.partialArguments() == null) {
      return;
    }
    StringBuilder args = replyArgs.computeIfAbsent(call.index(), i -> new StringBuilder());
    args.append(call.partialArguments());
    String content = PartialJsonString.valueSoFar(args.toString(), "content");
    if (content != null) {
      emit(content);
    }
  }

  @Override
  public void onToolStarted(ToolExecutionRequest call) {
    events.publish(new AgentEvent.ToolStarted(agentId, conversationId, "channel", call.name(), call.id(),
        call.arguments()));
  }

  @Override
  public void onToolCompleted(ToolExecutionRequest call, ToolOutput output) {
    events.publish(new AgentEvent.ToolCompleted(agentId, conversationId, "channel", call.name(), call.id(),
        output.text(), output.isError()));
  }

  /** The model call is over: whatever was held back is resolved now. */
  void flush() {
    if (!raw.isEmpty()) {
      publish(guard.finish(raw));
    }
  }

  private void emit(String aggregated) {
    raw = aggregated;
    publish(guard.visible(aggregated));
  }

  private void publish(String aggregated) {
    if (aggregated == null || aggregated.isEmpty() || aggregated.equals(streamed)) {
      return;
    }
    String delta = aggregated.startsWith(streamed) ? aggregated.substring(streamed.length()) : aggregated;
    streamed = aggregated;
    events.publish(new AgentEvent.OutboundDelta(agentId, conversationId, delta, aggregated));
  }
}
