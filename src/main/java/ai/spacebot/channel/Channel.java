package ai.spacebot.channel;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.llm.PartialJsonString;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.store.PendingDelivery;
import ai.spacebot.store.TranscriptMessage;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.PartialToolCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation: its history and its turns. All state is touched only on the owning verticle's
 * event loop; model calls stream on other threads and report back through the context, so a channel
 * never blocks and keeps accepting messages while it thinks. Messages that arrive during a turn are
 * answered together in the next turn.
 */
final class Channel {
  private static final Logger log = LoggerFactory.getLogger(Channel.class);

  private final String conversationId;
  private final String platform;
  private final AgentConfig agent;
  private final ChannelServices services;
  private final Context context;
  private final java.util.function.IntConsumer onBusyChange;
  private boolean reportedBusy;
  private final Deque<ChatMessage> history = new ArrayDeque<>();
  private final List<InboundMessage> pending = new ArrayList<>();
  private boolean loaded;
  private AgentIdentity promptIdentity;
  private long promptMinute;
  private String prompt;
  private boolean running;
  private long lastActivity = System.currentTimeMillis();

  /** @param onBusyChange told +1 / -1 on the owning event loop when {@link #busy()} flips */
  Channel(String conversationId, String platform, AgentConfig agent, ChannelServices services, Context context,
      java.util.function.IntConsumer onBusyChange) {
    this.onBusyChange = onBusyChange;
    this.conversationId = conversationId;
    this.platform = platform;
    this.agent = agent;
    this.services = services;
    this.context = context;
  }

  /** Loads the transcript, then runs whatever arrived meanwhile. */
  Future<Void> open() {
    return services.transcript().history(conversationId, services.config().channel().historyLimit())
        .onSuccess(messages -> {
          for (TranscriptMessage m : messages) {
            // Unanswered inbound messages are queued for a turn; they join history when it runs.
            if (m.direction().equals(TranscriptMessage.INBOUND) && !m.status().equals("received")) {
              remember(userMessage(m.senderName(), m.text()));
            } else if (m.direction().equals(TranscriptMessage.OUTBOUND)) {
              remember(AiMessage.from(m.text()));
            }
          }
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("[{}] Could not load history: {}", conversationId, ar.cause().getMessage());
          }
          loaded = true;
          maybeRun();
        })
        .mapEmpty();
  }

  void enqueue(InboundMessage message) {
    lastActivity = System.currentTimeMillis();
    if (pending.stream().noneMatch(p -> p.id().equals(message.id()))) {
      pending.add(message);
    }
    maybeRun();
    reportBusy();
  }

  boolean busy() {
    return running || !pending.isEmpty();
  }

  private void reportBusy() {
    boolean busy = busy();
    if (busy != reportedBusy) {
      reportedBusy = busy;
      onBusyChange.accept(busy ? 1 : -1);
    }
  }

  long lastActivity() {
    return lastActivity;
  }

  private void maybeRun() {
    if (!loaded || running || pending.isEmpty()) {
      return;
    }
    List<InboundMessage> batch = new ArrayList<>(pending);
    pending.clear();
    running = true;
    reportBusy();
    runTurn(batch).onComplete(ar -> {
      if (ar.failed()) {
        log.error("[{}] Turn failed unexpectedly", conversationId, ar.cause());
      }
      running = false;
      lastActivity = System.currentTimeMillis();
      maybeRun();
      reportBusy();
    });
  }

  private Future<Void> runTurn(List<InboundMessage> batch) {
    List<String> ids = batch.stream().map(InboundMessage::id).toList();
    List<ChatMessage> incoming = batch.stream().<ChatMessage>map(m -> userMessage(m.senderName(), m.text())).toList();
    typing(true);
    Optional<StreamingChatModel> model = services.models().streaming(agent.routing().channel());
    if (model.isEmpty()) {
      return fail(ids, incoming, TurnErrors.NO_MODEL);
    }
    TurnState state = new TurnState();
    List<ChatMessage> prompt = new ArrayList<>(history.size() + incoming.size() + 1);
    prompt.add(SystemMessage.from(systemPrompt()));
    prompt.addAll(history);
    prompt.addAll(incoming);
    ToolLoop loop = new ToolLoop(context, model.get(), ChannelTools.forTurn(state),
        services.config().channel().maxTurns(), services.models().timeout(), new Streamer());
    return loop.run(prompt)
        .transform(ar -> {
          if (ar.failed()) {
            log.warn("[{}] Model call failed: {}", conversationId, ar.cause().toString());
            return fail(ids, incoming, TurnErrors.describe(ar.cause()));
          }
          ToolLoop.Result result = ar.result();
          String text = state.reply != null ? state.reply
              : !state.skipped && !result.text().isBlank() ? result.text().strip() : null;
          return complete(batch, ids, incoming, text, state);
        });
  }

  private Future<Void> complete(List<InboundMessage> batch, List<String> ids, List<ChatMessage> incoming, String text,
      TurnState state) {
    String lastInbound = ids.get(ids.size() - 1);
    OutboundMessage reply = text == null ? null : new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, text, lastInbound, "reply:" + ids.get(0));
    Future<Void> reactions = Future.succeededFuture();
    for (String emoji : state.reactions) {
      OutboundMessage reaction = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.REACTION, agent.id(),
          platform, conversationId, emoji, lastInbound, "react:" + lastInbound + ":" + emoji);
      reactions = reactions.compose(v -> services.transcript().enqueue(reaction))
          .onSuccess(v -> services.outbox().deliver(new PendingDelivery(reaction.id(), reaction, 0)));
    }
    // The turn ends when its reply is delivered (or given up on), so replies leave in order and
    // typing stops only after the answer is out.
    return reactions
        .compose(v -> services.transcript().completeTurn(ids, reply))
        .compose(recorded -> {
          incoming.forEach(this::remember);
          if (reply != null) {
            remember(AiMessage.from(reply.text()));
          }
          if (!recorded) {
            log.info("[{}] Turn for {} was already answered; not sending again", conversationId, ids);
          } else if (reply != null) {
            return services.outbox().deliver(new PendingDelivery(reply.id(), reply, 0));
          } else if (state.skipped) {
            log.debug("[{}] Skipped: {}", conversationId, state.skipReason);
          }
          return Future.<Void>succeededFuture();
        })
        .onComplete(ar -> typing(false));
  }

  private Future<Void> fail(List<String> ids, List<ChatMessage> incoming, String explanation) {
    services.events().publish(new AgentEvent.Error(agent.id(), conversationId, explanation));
    return services.transcript()
        .failTurn(conversationId, agent.id(), platform, ids, UUID.randomUUID().toString(), explanation)
        .onSuccess(v -> incoming.forEach(this::remember))
        .onComplete(ar -> typing(false));
  }

  private void typing(boolean on) {
    services.events().publish(new AgentEvent.TypingState(agent.id(), conversationId, on));
  }

  private void remember(ChatMessage message) {
    history.addLast(message);
    while (history.size() > services.config().channel().historyLimit()) {
      history.removeFirst();
    }
  }

  /** Rendered at most once a minute (the clock it shows has minute precision) or when identity files change. */
  private String systemPrompt() {
    AgentIdentity identity = services.identities().get(agent.id());
    long minute = System.currentTimeMillis() / 60_000;
    if (identity != promptIdentity || minute != promptMinute) {
      promptIdentity = identity;
      promptMinute = minute;
      prompt = Prompts.render(services.promptTemplate(), Map.of(
          "agent_name", agent.name(),
          "soul", identity.soul(),
          "identity", identity.identity(),
          "role", identity.role(),
          "time", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm z")),
          "platform", platform,
          "status", "No workers or branches are running."));
    }
    return prompt;
  }

  private static UserMessage userMessage(String sender, String text) {
    return UserMessage.from("[" + (sender == null ? "someone" : sender) + "] " + text);
  }

  /** Streams text to the event stream as it arrives, including the content of a streaming reply call. */
  private final class Streamer implements ToolLoop.Listener {
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, StringBuilder> replyArgs = new HashMap<>();
    private final Map<Integer, String> toolNames = new HashMap<>();
    private String streamed = "";

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
      services.events().publish(new AgentEvent.ToolStarted(agent.id(), conversationId, "channel", call.name(), call.id(),
          call.arguments()));
    }

    @Override
    public void onToolCompleted(ToolExecutionRequest call, ToolOutput output) {
      services.events().publish(new AgentEvent.ToolCompleted(agent.id(), conversationId, "channel", call.name(), call.id(),
          output.text(), output.isError()));
    }

    private void emit(String aggregated) {
      if (aggregated.equals(streamed)) {
        return;
      }
      String delta = aggregated.startsWith(streamed) ? aggregated.substring(streamed.length()) : aggregated;
      streamed = aggregated;
      services.events().publish(new AgentEvent.OutboundDelta(agent.id(), conversationId, delta, aggregated));
    }
  }
}
