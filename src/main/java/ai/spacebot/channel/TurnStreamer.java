package ai.spacebot.channel;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.llm.PartialJsonString;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.PartialToolCall;
import java.util.HashMap;
import java.util.Map;

/** Streams a turn's text to the event stream as it arrives, including the content of a streaming reply call. */
final class TurnStreamer implements ToolLoop.Listener {
  private final EventPublisher events;
  private final String agentId;
  private final String conversationId;
  private final StringBuilder text = new StringBuilder();
  private final Map<Integer, StringBuilder> replyArgs = new HashMap<>();
  private final Map<Integer, String> toolNames = new HashMap<>();
  private String streamed = "";

  TurnStreamer(EventPublisher events, String agentId, String conversationId) {
    this.events = events;
    this.agentId = agentId;
    this.conversationId = conversationId;
  }

  @Override
  public void onModelCall(int call) {
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

  private void emit(String aggregated) {
    if (aggregated.equals(streamed)) {
      return;
    }
    String delta = aggregated.startsWith(streamed) ? aggregated.substring(streamed.length()) : aggregated;
    streamed = aggregated;
    events.publish(new AgentEvent.OutboundDelta(agentId, conversationId, delta, aggregated));
  }
}
