package ai.spacebot.channel;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.TypingSignal;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.llm.context.HistoryCut;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.ChannelSettings;
import ai.spacebot.llm.ContextOverflow;
import ai.spacebot.llm.PartialJsonString;
import ai.spacebot.llm.Prompts;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.StreamGuard;
import ai.spacebot.store.PendingDelivery;
import ai.spacebot.store.TranscriptMessage;
import ai.spacebot.store.TranscriptRepository;
import ai.spacebot.tools.ToolOutput;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.PartialToolCall;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation: its history and its turns. All state is touched only on the owning verticle's
 * event loop; model calls stream on other threads and report back through the context, and branches
 * and workers run as other processes, so a channel never blocks and keeps accepting messages while it
 * thinks or works. Messages that arrive during a turn are answered together in the next turn; in group
 * conversations a short window gathers a burst of messages into one turn. Branch and worker results
 * re-trigger the channel (debounced, and at most a few times per user message).
 */
final class Channel {
  private static final Logger log = LoggerFactory.getLogger(Channel.class);

  private final String conversationId;
  private final String platform;
  private final AgentConfig agent;
  private final ChannelServices services;
  private final ChannelSettings settings;
  private final Context context;
  private final IntConsumer onBusyChange;
  private final ChannelProcesses processes;
  private final ChannelCompaction compaction;
  private boolean reportedBusy;
  private List<ChatMessage> history = new ArrayList<>();
  private final List<InboundMessage> pending = new ArrayList<>();
  private final Set<String> senders = new HashSet<>();
  private boolean loaded;
  private AgentIdentity promptIdentity;
  private long promptMinute;
  private String promptStatus;
  private String prompt;
  private boolean running;
  /** Whether the over-budget notice went out since the budget last allowed a call. */
  private boolean budgetNoticeSent;
  /** The model this conversation is pinned to (API or /model), or null. */
  private String modelOverride;
  /** This conversation's own response mode (/active, /observe, /mention-only), or null for its binding's. */
  private String responseMode;
  /** Messages that came before the conversation's settings were loaded: decided once they are. */
  private final List<InboundMessage> early = new ArrayList<>();
  /** The platform id of the message the running turn answers (replies and reactions go to it), or null. */
  private String replyTarget;
  private final ChannelCommands commands;
  /** Images of waiting messages, by message id: shown to a model that takes them, never kept in history. */
  private final Map<String, List<ImageContent>> images = new HashMap<>();
  private long lastActivity = System.currentTimeMillis();
  /** Coalescing: the open window's timer (or -1), when the first waiting message came, and whether all may wait. */
  private long windowTimer = -1;
  private long pendingSince;
  private boolean pendingCoalescable;
  /** Re-trigger: results waiting for their turn, the debounce timer, and turns used since the last user message. */
  private final List<PendingResult> results = new ArrayList<>();
  /** Results that ask for no turn (a cancel the channel made itself): the next turn sees them. */
  private final List<PendingResult> quietResults = new ArrayList<>();
  private long retriggerTimer = -1;
  private boolean retriggerDue;
  private int retriggersSinceUser;

  /** @param onBusyChange told +1 / -1 on the owning event loop when {@link #busy()} flips */
  Channel(String conversationId, String platform, AgentConfig agent, ChannelServices services, Context context,
      String inbox, IntConsumer onBusyChange) {
    this.onBusyChange = onBusyChange;
    this.conversationId = conversationId;
    this.platform = platform;
    this.agent = agent;
    this.services = services;
    this.settings = services.config().channel();
    this.context = context;
    this.commands = new ChannelCommands(services.config());
    this.processes = new ChannelProcesses(agent.id(), conversationId, services.config(), context.owner().eventBus(), inbox);
    this.compaction = new ChannelCompaction(agent.id(), conversationId, services.config().compaction(),
        context.owner().eventBus(), services.events(), new ChannelCompaction.History() {
          public List<ChatMessage> messages() {
            return history;
          }

          public void replace(List<ChatMessage> messages) {
            history = messages;
          }

          public long overheadTokens() {
            return prompt == null ? 0 : prompt.length() / 4;
          }
        });
  }

  void setModelOverride(String model) {
    modelOverride = model;
  }

  /** Loads the transcript and the conversation's model pin, then runs whatever arrived meanwhile. */
  Future<Void> open() {
    Future<Void> pin = services.transcript().settings(conversationId)
        .onSuccess(s -> {
          modelOverride = modelOverride != null ? modelOverride : s.modelOverride();
          responseMode = s.responseMode();
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
    return pin.compose(v -> services.transcript().history(conversationId, settings.historyLimit()))
        .onSuccess(messages -> {
          List<ChatMessage> loadedHistory = new ArrayList<>();
          for (TranscriptMessage m : messages) {
            // Unanswered inbound messages are queued for a turn; they join history when it runs.
            if (m.direction().equals(TranscriptMessage.INBOUND) && !m.status().equals("received")) {
              loadedHistory.add(userMessage(m.senderName(), m.text()));
              senders.add(senderKey(platform, m.senderId(), m.senderName()));
            } else if (m.direction().equals(TranscriptMessage.OUTBOUND)) {
              loadedHistory.add(AiMessage.from(m.text()));
            } else if (m.direction().equals(TranscriptMessage.SYSTEM) && isProcessKind(m.senderName())) {
              if (m.status().equals(TranscriptRepository.RECEIVED)) {
                // A result whose turn never ran (a stop or crash in between): it re-triggers now.
                results.add(new PendingResult(m.id(), m.text(), m.text()));
              } else {
                loadedHistory.add(UserMessage.from(m.text()));
              }
            }
          }
          // Whatever arrived before the load finished was appended already; it is newer.
          loadedHistory.addAll(history);
          history = loadedHistory;
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("[{}] Could not load history: {}", conversationId, ar.cause().getMessage());
          }
          loaded = true;
          List<InboundMessage> arrived = new ArrayList<>(early);
          early.clear();
          arrived.forEach(this::enqueue);
          if (!results.isEmpty()) {
            log.info("[{}] Resuming {} background result(s) that never had their turn", conversationId, results.size());
            retriggerDue = true;
            reportBusy();
          }
          maybeRun();
        })
        .mapEmpty();
  }

  void enqueue(InboundMessage message) {
    lastActivity = System.currentTimeMillis();
    if (pending.stream().anyMatch(p -> p.id().equals(message.id()))) {
      return;
    }
    if (!loaded) {
      // Whether it gets a turn depends on the conversation's mode, which is still loading.
      if (early.stream().noneMatch(p -> p.id().equals(message.id()))) {
        early.add(message);
      }
      return;
    }
    if (ChannelCommands.name(message.text()).isPresent()) {
      images.remove(message.id());
      command(message);
      return;
    }
    if (!message.addressing().wantsTurn(responseMode, false)) {
      images.remove(message.id());
      observe(message);
      return;
    }
    if (pending.isEmpty()) {
      pendingSince = System.currentTimeMillis();
      pendingCoalescable = true;
    }
    pending.add(message);
    senders.add(senderKey(message.platform(), message.senderId(), message.senderName()));
    if (!coalescable(message)) {
      pendingCoalescable = false;
      closeWindow();
    }
    maybeRun();
    reportBusy();
  }

  void showImages(String messageId, List<ImageContent> shown) {
    if (!shown.isEmpty()) {
      images.put(messageId, shown);
    }
  }

  /** A slash command: answered at once, without a model call, through the outbox like any reply. */
  private void command(InboundMessage message) {
    String model = modelOverride != null ? modelOverride + " (pinned)"
        : services.router().forProcess(agent, "channel", null, null);
    String mode = responseMode != null ? responseMode : message.addressing().direct() ? "direct message"
        : message.addressing().responseMode() + (message.addressing().requireMention() ? " (mentions only)" : "");
    ChannelCommands.Outcome outcome = commands.run(message, new ChannelCommands.Facts(agent.id(), conversationId, platform,
        model, mode, processes.statusBlock()));
    Future<Void> applied = Future.succeededFuture();
    if (outcome.effect() instanceof ChannelCommands.Effect.SetMode set) {
      responseMode = set.mode();
      applied = services.transcript().setResponseMode(conversationId, agent.id(), platform, set.mode());
    } else if (outcome.effect() instanceof ChannelCommands.Effect.PinModel pin) {
      modelOverride = pin.model();
      applied = services.transcript().setModelOverride(conversationId, agent.id(), platform, pin.model());
    }
    OutboundMessage reply = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, outcome.reply(), message.id(), "reply:" + message.id())
        .withReplyTarget(message.platformMessageId()));
    applied.compose(v -> services.transcript().completeTurn(List.of(message.id()), reply))
        .onSuccess(recorded -> {
          if (recorded) {
            services.outbox().deliver(new PendingDelivery(reply.id(), reply, 0));
          }
        })
        .onFailure(err -> log.warn("[{}] Could not answer {}: {}", conversationId, message.text(), err.getMessage()));
  }

  /** A message kept without a turn (observe mode, or a group message that did not mention the bot). */
  private void observe(InboundMessage message) {
    senders.add(senderKey(message.platform(), message.senderId(), message.senderName()));
    remember(userMessage(message.senderName(), message.text()));
    services.transcript().markObserved(List.of(message.id()))
        .onFailure(err -> log.warn("[{}] Could not mark {} observed: {}", conversationId, message.id(), err.getMessage()));
  }

  /** A branch or worker reported to this channel (on the owning event loop). */
  void onReport(ProcessReport report, Message<JsonObject> msg) {
    lastActivity = System.currentTimeMillis();
    if (report instanceof ProcessReport.Result r) {
      msg.reply(new JsonObject());
      boolean wantsTurn = processes.onResult(r);
      // Stored on arrival, awaiting its turn until that turn is recorded: a stop in between loses nothing,
      // the channel reopens with it and runs the re-trigger then.
      PendingResult pending = new PendingResult(UUID.randomUUID().toString(), resultText(r),
          "[Background " + r.kind().wire() + " " + r.processId() + " completed]: " + r.text());
      persistResult(r, pending, wantsTurn);
      if (!wantsTurn) {
        quietResults.add(pending);
        reportBusy();
        return;
      }
      results.add(pending);
      // Debounce: results close together share one turn.
      if (retriggerTimer >= 0) {
        context.owner().cancelTimer(retriggerTimer);
      }
      retriggerTimer = context.owner().setTimer(Math.max(1, settings.retriggerDebounceMs()), id -> {
        retriggerTimer = -1;
        retriggerDue = true;
        maybeRun();
      });
      reportBusy();
    } else if (report instanceof ProcessReport.Status s) {
      processes.onStatus(s);
    } else if (report instanceof ProcessReport.SpawnWorker w) {
      processes.worker(w.task(), w.interactive(), fork(List.of()),
          services.router().forProcess(agent, "worker", modelOverride, null))
          .onSuccess(id -> msg.reply(new JsonObject().put("worker_id", id)))
          .onFailure(err -> msg.fail(409, err.getMessage()));
    }
  }

  /** A turn runs or waits: graceful stop waits for these. */
  boolean busy() {
    return running || !pending.isEmpty() || !results.isEmpty();
  }

  /** Busy, or branches and workers still report here: such a channel is never evicted. */
  boolean inUse() {
    return busy() || processes.any() || retriggerTimer >= 0;
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

  /** DMs, /commands and system messages are answered at once; group chatter waits for the window. */
  private boolean coalescable(InboundMessage m) {
    if (m.text().startsWith("/") || "system".equals(m.senderId()) || m.platform().equals("cron")) {
      return false;
    }
    if (m.addressing().direct()) {
      return false;
    }
    if (conversationId.contains(":dm:")) {
      return false;
    }
    // The portal is a DM unless several people share one session.
    return !m.platform().equals("portal") || senders.size() > 1;
  }

  private void closeWindow() {
    if (windowTimer >= 0) {
      context.owner().cancelTimer(windowTimer);
      windowTimer = -1;
    }
  }

  private void maybeRun() {
    if (!loaded || running) {
      return;
    }
    if (!pending.isEmpty()) {
      if (windowTimer >= 0) {
        return;
      }
      // A burst in a group waits until the window that its first message opened closes (also when that
      // message came during a turn); anything that may not wait flushes the whole burst.
      long wait = pendingSince + Math.min(settings.coalesceWindowMs(), settings.coalesceMaxWaitMs())
          - System.currentTimeMillis();
      if (pendingCoalescable && wait > 0) {
        windowTimer = context.owner().setTimer(wait, id -> {
          windowTimer = -1;
          maybeRun();
        });
        return;
      }
      runUserTurn();
      return;
    }
    if (retriggerDue) {
      retriggerDue = false;
      if (results.isEmpty()) {
        return;
      }
      if (retriggersSinceUser < settings.maxRetriggers()) {
        retriggersSinceUser++;
        runRetrigger();
      } else {
        // Past the cap the results only go into history; the next user message sees them.
        List<PendingResult> capped = new ArrayList<>(results);
        results.clear();
        for (PendingResult r : capped) {
          remember(UserMessage.from(r.cappedText()));
        }
        services.transcript().completeTurn(capped.stream().map(PendingResult::rowId).toList(), null)
            .onFailure(err -> log.warn("[{}] Could not mark capped results: {}", conversationId, err.getMessage()));
        reportBusy();
      }
    }
  }

  private void runUserTurn() {
    List<InboundMessage> batch = new ArrayList<>(pending);
    pending.clear();
    retriggersSinceUser = 0;
    List<PendingResult> taken = takeResults();
    List<ChatMessage> incoming = new ArrayList<>(messagesOf(taken));
    if (batch.size() > 1) {
      long span = batch.get(batch.size() - 1).timestamp() - batch.get(0).timestamp();
      long people = batch.stream().map(m -> senderKey(m.platform(), m.senderId(), m.senderName())).distinct().count();
      incoming.add(UserMessage.from("[" + batch.size() + " messages arrived in " + String.format("%.1f", span / 1000.0)
          + " s from " + people + (people == 1 ? " person" : " people")
          + "; answer them together in one reply, or skip if none needs you]"));
    }
    List<String> ids = batch.stream().map(InboundMessage::id).toList();
    List<String> texts = batch.stream().map(InboundMessage::text).toList();
    boolean vision = batch.stream().anyMatch(m -> images.containsKey(m.id())) && services.config().llm()
        .takesImages(services.router().channelTurn(agent, modelOverride, texts).model());
    for (InboundMessage m : batch) {
      List<ImageContent> shown = images.remove(m.id());
      if (vision && shown != null) {
        List<dev.langchain4j.data.message.Content> parts = new ArrayList<>();
        parts.add(dev.langchain4j.data.message.TextContent.from(userMessage(m.senderName(), m.text()).singleText()));
        parts.addAll(shown);
        incoming.add(UserMessage.from(parts));
      } else {
        incoming.add(userMessage(m.senderName(), m.text()));
      }
    }
    replyTarget = batch.get(batch.size() - 1).platformMessageId();
    start(runTurn(incoming, ids, rowIds(taken), texts, "reply:" + ids.get(0), settings.maxTurns()));
  }

  private void runRetrigger() {
    List<PendingResult> taken = takeResults();
    // Keyed by its first result, so a re-trigger run again after a restart cannot reply twice.
    start(runTurn(messagesOf(taken), List.of(), rowIds(taken), List.of(), "retrigger:" + taken.get(0).rowId(),
        Math.min(3, settings.maxTurns())));
  }

  /** The waiting results, quiet ones first; the debounce is over. */
  private List<PendingResult> takeResults() {
    if (retriggerTimer >= 0) {
      context.owner().cancelTimer(retriggerTimer);
      retriggerTimer = -1;
    }
    retriggerDue = false;
    List<PendingResult> out = new ArrayList<>(quietResults);
    quietResults.clear();
    out.addAll(results);
    results.clear();
    return out;
  }

  private static List<ChatMessage> messagesOf(List<PendingResult> taken) {
    List<ChatMessage> out = new ArrayList<>(taken.size());
    taken.forEach(r -> out.add(UserMessage.from(r.text())));
    return out;
  }

  /** The transcript rows of the results a turn takes up; the turn's record marks them handled. */
  private static List<String> rowIds(List<PendingResult> taken) {
    return taken.stream().map(PendingResult::rowId).toList();
  }

  /** A branch or worker result waiting for a turn: its transcript row, its history line, its line past the cap. */
  private record PendingResult(String rowId, String text, String cappedText) {}

  private static String resultText(ProcessReport.Result r) {
    return r.kind() == ProcessKind.BRANCH
        ? "[Branch " + r.processId() + " concluded (" + r.outcome().label() + ")]: " + r.text()
        : "[Worker " + r.processId() + " " + (r.waitingForInput() ? "answered and waits for input via route" : "completed")
            + " (" + r.outcome().label() + ")]: " + r.text();
  }

  private void persistResult(ProcessReport.Result r, PendingResult pending, boolean awaitsTurn) {
    services.transcript().appendProcessResult(conversationId, agent.id(), platform, pending.rowId(),
        r.processId(), r.kind().wire(), pending.text(), awaitsTurn).onFailure(err ->
        log.warn("[{}] Could not store the result of {}: {}", conversationId, r.processId(), err.getMessage()));
  }

  private void start(Future<Void> turn) {
    running = true;
    reportBusy();
    turn.onComplete(ar -> {
      if (ar.failed()) {
        log.error("[{}] Turn failed unexpectedly", conversationId, ar.cause());
      }
      running = false;
      replyTarget = null;
      lastActivity = System.currentTimeMillis();
      compaction.afterTurn();
      maybeRun();
      reportBusy();
    });
  }

  /**
   * One turn: the model sees history plus {@code incoming} (user messages, or results for a re-trigger).
   * {@code ids} are the inbound messages it answers (none for a re-trigger), {@code resultIds} the stored
   * results it takes up (recorded with the turn); {@code replyKey} keeps its reply from being queued twice.
   */
  private Future<Void> runTurn(List<ChatMessage> incoming, List<String> ids, List<String> resultIds,
      List<String> userTexts, String replyKey, int maxTurns) {
    Optional<String> over = services.router().overBudget(agent.id(), conversationId);
    if (over.isPresent()) {
      return overBudget(ids, resultIds, incoming, over.get());
    }
    budgetNoticeSent = false;
    typing(true);
    ModelRouter.Route route = services.router().channelTurn(agent, modelOverride, userTexts);
    Optional<StreamingChatModel> model = services.router().model(
        new CallContext(agent.id(), "channel", conversationId, conversationId, route.tier()), route.model());
    if (model.isEmpty()) {
      return fail(ids, resultIds, incoming, TurnErrors.NO_MODEL);
    }
    return attempt(model.get(), incoming, maxTurns, true).transform(ar -> {
      if (ar.failed()) {
        log.warn("[{}] Model call failed: {}", conversationId, ar.cause().toString());
        return fail(ids, resultIds, incoming, TurnErrors.describe(ar.cause()));
      }
      Attempt done = ar.result();
      ToolLoop.Result result = done.result;
      TurnState state = done.state;
      String text = state.reply != null ? state.reply
          : !state.skipped && !result.text().isBlank() ? result.text().strip() : null;
      return complete(ids, resultIds, replyKey, incoming, result.messages(), text, state);
    });
  }

  private record Attempt(ToolLoop.Result result, TurnState state) {}

  /** Runs the tool loop; a provider's context-overflow refusal cuts history at once and retries once. */
  private Future<Attempt> attempt(StreamingChatModel model, List<ChatMessage> incoming, int maxTurns, boolean mayRetry) {
    TurnState state = new TurnState();
    List<ChatMessage> prompt = new ArrayList<>(history.size() + incoming.size() + 1);
    prompt.add(SystemMessage.from(systemPrompt()));
    prompt.addAll(history);
    prompt.addAll(incoming);
    Streamer streamer = new Streamer();
    ToolLoop loop = new ToolLoop(context, model, ChannelTools.forTurn(state, new TurnActions(incoming)), maxTurns,
        services.router().requestTimeout(), streamer);
    return loop.run(prompt).map(r -> {
      streamer.flush();
      return new Attempt(r, state);
    }).recover(err -> {
      if (mayRetry && ContextOverflow.is(err) && !history.isEmpty()) {
        log.warn("[{}] The model's context overflowed; dropping the oldest history and retrying once", conversationId);
        compaction.emergency(services.config().compaction().emergencyFraction(), 1.0);
        return attempt(model, incoming, maxTurns, false);
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Void> complete(List<String> ids, List<String> resultIds, String replyKey, List<ChatMessage> incoming,
      List<ChatMessage> turnMessages, String text, TurnState state) {
    String lastInbound = ids.isEmpty() ? null : ids.get(ids.size() - 1);
    OutboundMessage reply = text == null && state.files.isEmpty() ? null : outgoing(new OutboundMessage(
        UUID.randomUUID().toString(), OutboundMessage.MESSAGE, agent.id(), platform, conversationId,
        text == null ? "" : text, lastInbound, replyKey, replyTarget, state.threadName, state.rich, state.files,
        List.of()));
    Future<Void> reactions = Future.succeededFuture();
    if (lastInbound != null) {
      for (String emoji : state.reactions) {
        OutboundMessage reaction = new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.REACTION, agent.id(),
            platform, conversationId, emoji, lastInbound, "react:" + lastInbound + ":" + emoji).withReplyTarget(replyTarget);
        reactions = reactions.compose(v -> services.transcript().enqueue(reaction))
            .onSuccess(v -> services.outbox().deliver(new PendingDelivery(reaction.id(), reaction, 0)));
      }
    }
    // The turn ends when its reply is delivered (or given up on), so replies leave in order and
    // typing stops only after the answer is out.
    return reactions
        .compose(v -> services.transcript().completeTurn(concat(ids, resultIds), reply))
        .compose(recorded -> {
          incoming.forEach(this::remember);
          turnMessages.forEach(this::remember);
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

  /**
   * Over today's budget: no model call. The first message after the cut is answered once with the
   * reason; later ones are kept, unanswered, until the budget allows calls again.
   */
  private Future<Void> overBudget(List<String> ids, List<String> resultIds, List<ChatMessage> incoming, String reason) {
    if (ids.isEmpty() || budgetNoticeSent) {
      if (!ids.isEmpty()) {
        log.info("[{}] Over budget; {} message(s) kept without an answer", conversationId, ids.size());
      }
      return services.transcript().completeTurn(concat(ids, resultIds), null)
          .onSuccess(v -> incoming.forEach(this::remember)).mapEmpty();
    }
    budgetNoticeSent = true;
    OutboundMessage notice = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, reason, ids.get(ids.size() - 1), "budget:" + ids.get(0))
        .withReplyTarget(replyTarget));
    return services.transcript().failTurnWithApology(concat(ids, resultIds), "over budget: " + reason, notice)
        .compose(recorded -> {
          incoming.forEach(this::remember);
          return recorded ? services.outbox().deliver(new PendingDelivery(notice.id(), notice, 0))
              : Future.<Void>succeededFuture();
        });
  }

  /**
   * A turn that got no answer. The people who asked get a short apology with the reason (a re-trigger
   * turn, which nobody asked for, only leaves a line in the transcript); their messages stay in history.
   */
  private Future<Void> fail(List<String> ids, List<String> resultIds, List<ChatMessage> incoming, String explanation) {
    services.events().publish(new AgentEvent.Error(agent.id(), conversationId, explanation));
    if (ids.isEmpty()) {
      return services.transcript()
          .failTurn(conversationId, agent.id(), platform, resultIds, UUID.randomUUID().toString(), explanation)
          .onSuccess(v -> incoming.forEach(this::remember))
          .onComplete(ar -> typing(false));
    }
    OutboundMessage apology = outgoing(new OutboundMessage(UUID.randomUUID().toString(), OutboundMessage.MESSAGE,
        agent.id(), platform, conversationId, TurnErrors.apology(explanation), ids.get(ids.size() - 1),
        "apology:" + ids.get(0)).withReplyTarget(replyTarget));
    return services.transcript().failTurnWithApology(concat(ids, resultIds), explanation, apology)
        .compose(recorded -> {
          incoming.forEach(this::remember);
          return recorded ? services.outbox().deliver(new PendingDelivery(apology.id(), apology, 0))
              : Future.<Void>succeededFuture();
        })
        .onComplete(ar -> typing(false));
  }

  /**
   * Every message to people passes here before it is stored as sent: known secret values are redacted, and a
   * message holding a credential format is withheld (the people get a short notice; operators get an event).
   * The outbox checks again before a platform sees it.
   */
  private OutboundMessage outgoing(OutboundMessage message) {
    OutboundGuard.Sealed sealed = services.guard().seal(message);
    if (sealed.withheld()) {
      String pattern = sealed.withheldFor().wireName();
      log.warn("[{}] Withheld reply {}: it looked like it held a credential ({})", conversationId, message.id(), pattern);
      services.events().publish(new AgentEvent.SecretLeakBlocked(agent.id(), conversationId, pattern, "reply",
          message.id()));
    }
    return sealed.message();
  }

  private void typing(boolean on) {
    services.events().publish(new AgentEvent.TypingState(agent.id(), conversationId, on));
    // The platform's adapter shows "typing…" and keeps it up until the turn ends.
    context.owner().eventBus().publish(Addresses.typing(platform), new TypingSignal(agent.id(), conversationId, on).toJson());
  }

  private void remember(ChatMessage message) {
    // An image is shown for its turn only: kept, it would cost its tokens on every turn after.
    if (message instanceof UserMessage user && !user.hasSingleText()) {
      message = UserMessage.from(user.contents().stream()
          .filter(c -> c instanceof dev.langchain4j.data.message.TextContent)
          .map(c -> ((dev.langchain4j.data.message.TextContent) c).text()).reduce((a, b) -> a + "\n" + b).orElse(""));
    }
    history.add(message);
    // Tokens are the compactor's business; the message count is capped too (history_limit, as many as a
    // reopened channel loads), because every turn sends the whole history: a long chat of short
    // messages would otherwise cost more per turn for ever. The older half goes at once, never
    // splitting a tool call from its result, so this runs once per history_limit / 2 messages.
    if (settings.historyLimit() > 0 && history.size() > Math.max(8, settings.historyLimit())) {
      history = new ArrayList<>(HistoryCut.emergencyDrop(history, 0.5));
    }
  }

  /** What a branch or worker forks: history plus this turn's new messages, cut to fit the window. */
  private List<ChatMessage> fork(List<ChatMessage> incoming) {
    List<ChatMessage> all = new ArrayList<>(history);
    all.addAll(incoming);
    return HistoryCut.forkToFit(all, services.config().compaction());
  }

  /** Re-rendered when the minute, the identity files or the status block change. */
  private String systemPrompt() {
    AgentIdentity identity = services.identities().get(agent.id());
    long minute = System.currentTimeMillis() / 60_000;
    String status = processes.statusBlock();
    if (identity != promptIdentity || minute != promptMinute || !status.equals(promptStatus)) {
      promptIdentity = identity;
      promptMinute = minute;
      promptStatus = status;
      prompt = Prompts.render(services.promptTemplate(), Map.of(
          "agent_name", agent.name(),
          "soul", identity.soul(),
          "identity", identity.identity(),
          "role", identity.role(),
          "time", Prompts.clock(),
          "platform", platform,
          "status", status));
    }
    return prompt;
  }

  /** The portal gives every sender of a session the same id; there the name tells people apart. */
  private static String senderKey(String platform, String senderId, String senderName) {
    return "portal".equals(platform) ? "name:" + senderName : String.valueOf(senderId);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static boolean isProcessKind(String s) {
    return ProcessKind.BRANCH.wire().equals(s) || ProcessKind.WORKER.wire().equals(s);
  }

  private static UserMessage userMessage(String sender, String text) {
    return UserMessage.from("[" + (sender == null ? "someone" : sender) + "] " + text);
  }

  /** The process tools of one turn; a fork includes the turn's new messages. */
  private final class TurnActions implements ChannelTools.Actions {
    private final List<ChatMessage> incoming;

    TurnActions(List<ChatMessage> incoming) {
      this.incoming = incoming;
    }

    public Future<String> branch(String description, String taskType) {
      return processes.branch(description, fork(incoming),
          services.router().forProcess(agent, "branch", modelOverride, taskType));
    }

    public Future<String> spawnWorker(String task, boolean interactive, boolean clean, String taskType) {
      return processes.worker(task, interactive, clean ? List.of() : fork(incoming),
          services.router().forProcess(agent, "worker", modelOverride, taskType));
    }

    public Future<Void> route(String workerId, String message) {
      return processes.route(workerId, message);
    }

    public Future<Void> cancel(String processId) {
      return processes.cancelHere(processId);
    }

    public Future<String> workspaceFile(String path) {
      java.nio.file.Path root = services.config().workspace(agent.id());
      return context.owner().executeBlocking(() -> {
        java.nio.file.Path file = new ai.spacebot.tools.workspace.Workspace(root).resolve(path);
        if (!java.nio.file.Files.isRegularFile(file)) {
          throw new IllegalArgumentException("no file at \"" + path + "\" in the workspace");
        }
        return root.toAbsolutePath().normalize().relativize(file).toString();
      }, false);
    }
  }

  /**
   * Streams text to the event stream as it arrives, including the content of a streaming reply call. A
   * {@link StreamGuard} holds back the tail that could still become a secret, and stops the stream for good when
   * a credential format shows up (the reply is then withheld when it is delivered).
   */
  private final class Streamer implements ToolLoop.Listener {
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, StringBuilder> replyArgs = new HashMap<>();
    private final Map<Integer, String> toolNames = new HashMap<>();
    private final StreamGuard guard = new StreamGuard(services.scrubber());
    private String streamed = "";
    /** The text of the current model call as it arrived (unredacted, never published as is). */
    private String raw = "";

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
      services.events().publish(new AgentEvent.ToolStarted(agent.id(), conversationId, "channel", call.name(), call.id(),
          call.arguments()));
    }

    @Override
    public void onToolCompleted(ToolExecutionRequest call, ToolOutput output) {
      services.events().publish(new AgentEvent.ToolCompleted(agent.id(), conversationId, "channel", call.name(), call.id(),
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
      services.events().publish(new AgentEvent.OutboundDelta(agent.id(), conversationId, delta, aggregated));
    }
  }
}
