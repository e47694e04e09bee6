package ai.spacebot.channel;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.config.ChannelSettings;
import ai.spacebot.llm.CallContext;
import ai.spacebot.llm.ContextOverflow;
import ai.spacebot.llm.ToolLoop;
import ai.spacebot.llm.routing.ModelRouter;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation: its history and its turns. All state is touched only on the owning verticle's
 * event loop; model calls stream on other threads and report back through the context, and branches
 * and workers run as other processes, so a channel never blocks and keeps accepting messages while it
 * thinks or works. Messages that arrive during a turn are answered together in the next turn; in group
 * conversations a short window gathers a burst of messages into one turn. Branch and worker results
 * re-trigger the channel (debounced, and at most a few times per user message). Each turn acts for the least
 * privileged sender that caused it ({@link TurnPolicy}), which decides the tools it gets.
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
  private final ChannelHistory history;
  private final PromptAssembly prompts;
  private final TurnEndings endings;
  private final TurnPolicy policy;
  private boolean reportedBusy;
  private final Coalescing pending;
  private boolean loaded;
  private boolean running;
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
  private final BackgroundResults results;
  private final CrossChannelSend elsewhere;

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
    this.prompts = new PromptAssembly(services, agent, platform, conversationId, processes::statusBlock);
    this.elsewhere = new CrossChannelSend(services, agent, conversationId, platform, context.owner());
    this.history = new ChannelHistory(settings, services.config().compaction(), prompts::overheadTokens);
    this.compaction = new ChannelCompaction(agent.id(), conversationId, services.config().compaction(),
        context.owner().eventBus(), services.events(), history);
    this.endings = new TurnEndings(services, agent, platform, conversationId, context.owner().eventBus(),
        history::remember);
    this.pending = new Coalescing(context.owner(), conversationId, settings.coalesceWindowMs(),
        settings.coalesceMaxWaitMs());
    this.results = new BackgroundResults(services, agent.id(), platform, conversationId, context.owner(), this::maybeRun);
    this.policy = new TurnPolicy(agent.permissions(), settings.rateLimit(), services.senderLimits(), conversationId);
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
        // Unanswered messages were queued by intake; a result whose turn never ran (a stop or crash in between)
        // re-triggers now, for the least privileged role, since who started its process was not kept.
        .onSuccess(messages -> history.load(messages,
            m -> pending.sawSender(senderKey(platform, m.senderId(), m.senderName())),
            m -> results.resume(new PendingResult(m.id(), m.text(), m.text(), policy.everyone()))))
        .onComplete(ar -> {
          if (ar.failed()) {
            log.warn("[{}] Could not load history: {}", conversationId, ar.cause().getMessage());
          }
          loaded = true;
          List<InboundMessage> arrived = new ArrayList<>(early);
          early.clear();
          arrived.forEach(this::enqueue);
          if (results.waiting()) {
            log.info("[{}] Resuming background result(s) that never had their turn", conversationId);
            results.markDue();
            reportBusy();
          }
          maybeRun();
        })
        .mapEmpty();
  }

  void enqueue(InboundMessage message) {
    lastActivity = System.currentTimeMillis();
    if (pending.has(message.id())) {
      return;
    }
    if (!loaded) {
      // Whether it gets a turn depends on the conversation's mode, which is still loading.
      if (early.stream().noneMatch(p -> p.id().equals(message.id()))) {
        early.add(message);
      }
      return;
    }
    boolean command = ChannelCommands.name(message.text()).isPresent();
    if (!command && !message.addressing().wantsTurn(responseMode, false)) {
      images.remove(message.id());
      observe(message);
      return;
    }
    String sender = senderKey(message.platform(), message.senderId(), message.senderName());
    TurnPolicy.Admission admission = policy.admit(message, sender, System.currentTimeMillis());
    if (admission != TurnPolicy.Admission.TURN) {
      images.remove(message.id());
      refuse(message, admission);
      return;
    }
    if (command) {
      images.remove(message.id());
      command(message);
      return;
    }
    pending.add(message, sender);
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
    endings.answerAtOnce(message, outcome.reply(), "reply:", applied);
  }

  /** A message kept without a turn (observe mode, or a group message that did not mention the bot). */
  private void observe(InboundMessage message) {
    pending.sawSender(senderKey(message.platform(), message.senderId(), message.senderName()));
    history.remember(PromptAssembly.userMessage(message.senderName(), message.text()));
    services.transcript().markObserved(List.of(message.id()))
        .onFailure(err -> log.warn("[{}] Could not mark {} observed: {}", conversationId, message.id(), err.getMessage()));
  }

  /** Over a rate limit, or from someone this agent does not answer: kept in the transcript, no turn; one notice a streak. */
  private void refuse(InboundMessage message, TurnPolicy.Admission admission) {
    if (admission != TurnPolicy.Admission.LIMITED_NOTICE) {
      if (admission != TurnPolicy.Admission.NOT_ALLOWED) {
        log.info("[{}] Over the rate limit; message {} kept without a turn", conversationId, message.id());
      }
      observe(message);
      return;
    }
    log.info("[{}] Over the rate limit; message {} kept, one notice sent", conversationId, message.id());
    pending.sawSender(senderKey(message.platform(), message.senderId(), message.senderName()));
    history.remember(PromptAssembly.userMessage(message.senderName(), message.text()));
    endings.answerAtOnce(message, policy.limitNotice(message.senderName()), "ratelimit:", Future.succeededFuture());
  }

  /** A branch or worker reported to this channel (on the owning event loop). */
  void onReport(ProcessReport report, Message<JsonObject> msg) {
    lastActivity = System.currentTimeMillis();
    if (report instanceof ProcessReport.Result r) {
      msg.reply(new JsonObject());
      // Read before onResult forgets a finished process: its result's turn acts for the same people.
      TurnRole role = Optional.ofNullable(processes.roleOf(r.processId())).orElseGet(policy::everyone);
      results.arrived(r, role, processes.onResult(r));
      reportBusy();
    } else if (report instanceof ProcessReport.Status s) {
      processes.onStatus(s);
    } else if (report instanceof ProcessReport.SpawnWorker w) {
      // A branch's worker acts for the people whose turn started the branch.
      TurnRole role = Optional.ofNullable(processes.roleOf(w.processId())).orElseGet(policy::everyone);
      processes.worker(w.task(), w.interactive(), history.fork(List.of()),
          services.router().forProcess(agent, "worker", modelOverride, null), role)
          .onSuccess(id -> msg.reply(new JsonObject().put("worker_id", id)))
          .onFailure(err -> msg.fail(409, err.getMessage()));
    }
  }

  /** The agent posted this here from another conversation: it joins history as the agent's own words. */
  void sentHereFromElsewhere(String text) {
    lastActivity = System.currentTimeMillis();
    if (!loaded) {
      return; // the transcript already holds it, and loading reads it from there
    }
    history.remember(dev.langchain4j.data.message.AiMessage.from(text));
  }

  /** A turn runs or waits: graceful stop waits for these. */
  boolean busy() {
    return running || !pending.isEmpty() || results.waiting();
  }

  /** Busy, or branches and workers still report here: such a channel is never evicted. */
  boolean inUse() {
    return busy() || processes.any() || results.timerPending();
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
    if (!loaded || running) {
      return;
    }
    if (!pending.isEmpty()) {
      if (pending.ready(this::maybeRun)) {
        runUserTurn();
      }
      return;
    }
    boolean wasWaiting = results.waiting();
    List<PendingResult> taken = results.takeForRetrigger(history::remember);
    if (taken != null) {
      // Keyed by its first result, so a re-trigger run again after a restart cannot reply twice.
      start(runTurn(BackgroundResults.messagesOf(taken), List.of(), BackgroundResults.rowIds(taken), List.of(),
          "retrigger:" + taken.get(0).rowId(), Math.min(3, settings.maxTurns()),
          BackgroundResults.roleOf(taken, null, policy.everyone())));
    } else if (wasWaiting != results.waiting()) {
      reportBusy(); // past the cap: the results joined history only
    }
  }

  private void runUserTurn() {
    List<InboundMessage> batch = pending.drain();
    List<PendingResult> taken = results.takeForUserTurn();
    List<ChatMessage> incoming = new ArrayList<>(BackgroundResults.messagesOf(taken));
    if (batch.size() > 1) {
      long span = batch.get(batch.size() - 1).timestamp() - batch.get(0).timestamp();
      long people = batch.stream().map(m -> senderKey(m.platform(), m.senderId(), m.senderName())).distinct().count();
      incoming.add(PromptAssembly.batchNote(batch.size(), span, people));
    }
    List<String> ids = batch.stream().map(InboundMessage::id).toList();
    List<String> texts = batch.stream().map(InboundMessage::text).toList();
    boolean vision = batch.stream().anyMatch(m -> images.containsKey(m.id())) && services.config().llm()
        .takesImages(services.router().channelTurn(agent, modelOverride, texts).model());
    for (InboundMessage m : batch) {
      List<ImageContent> shown = images.remove(m.id());
      UserMessage said = PromptAssembly.userMessage(m.senderName(), m.text());
      if (vision && shown != null) {
        List<Content> parts = new ArrayList<>();
        parts.add(TextContent.from(said.singleText()));
        parts.addAll(shown);
        incoming.add(UserMessage.from(parts));
      } else {
        incoming.add(said);
      }
    }
    replyTarget = batch.get(batch.size() - 1).platformMessageId();
    // The least privileged sender of the batch (and of any result it takes along) decides the tools.
    TurnRole role = BackgroundResults.roleOf(taken, policy.role(batch), policy.everyone());
    start(runTurn(incoming, ids, BackgroundResults.rowIds(taken), texts, "reply:" + ids.get(0), settings.maxTurns(), role));
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
   * results it takes up (recorded with the turn); {@code replyKey} keeps its reply from being queued twice;
   * {@code role} decides which tools it gets.
   */
  private Future<Void> runTurn(List<ChatMessage> incoming, List<String> ids, List<String> resultIds,
      List<String> userTexts, String replyKey, int maxTurns, TurnRole role) {
    String target = replyTarget;
    Optional<String> over = services.router().overBudget(agent.id(), conversationId);
    if (over.isPresent()) {
      return endings.overBudget(ids, resultIds, target, incoming, over.get());
    }
    endings.budgetAllowsCalls();
    endings.typing(true);
    ModelRouter.Route route = services.router().channelTurn(agent, modelOverride, userTexts);
    Optional<StreamingChatModel> model = services.router().model(
        new CallContext(agent.id(), "channel", conversationId, conversationId, route.tier()), route.model());
    if (model.isEmpty()) {
      return endings.fail(ids, resultIds, target, incoming, TurnErrors.NO_MODEL);
    }
    return attempt(model.get(), incoming, maxTurns, role, true).transform(ar -> {
      if (ar.failed()) {
        log.warn("[{}] Model call failed: {}", conversationId, ar.cause().toString());
        return endings.fail(ids, resultIds, target, incoming, TurnErrors.describe(ar.cause()));
      }
      ToolLoop.Result result = ar.result().result();
      TurnState state = ar.result().state();
      String text = state.reply != null ? state.reply
          : !state.skipped && !result.text().isBlank() ? result.text().strip() : null;
      return endings.complete(ids, resultIds, replyKey, target, incoming, result.messages(), text, state);
    });
  }

  private record Attempt(ToolLoop.Result result, TurnState state) {}

  /** Runs the tool loop; a provider's context-overflow refusal cuts history at once and retries once. */
  private Future<Attempt> attempt(StreamingChatModel model, List<ChatMessage> incoming, int maxTurns, TurnRole role,
      boolean mayRetry) {
    return prompts.refreshChannels(role).compose(v -> attemptWithPrompt(model, incoming, maxTurns, role, mayRetry));
  }

  private Future<Attempt> attemptWithPrompt(StreamingChatModel model, List<ChatMessage> incoming, int maxTurns,
      TurnRole role, boolean mayRetry) {
    TurnState state = new TurnState();
    List<ChatMessage> prompt = new ArrayList<>(history.messages().size() + incoming.size() + 1);
    prompt.add(SystemMessage.from(prompts.systemPrompt(role)));
    prompt.addAll(history.messages());
    prompt.addAll(incoming);
    TurnActions actions = new TurnActions(services, agent, processes, context.owner(), () -> modelOverride,
        history::fork, incoming, role, elsewhere);
    ChannelTools.TurnTools tools = ChannelTools.forTurn(state, actions, role);
    TurnStreamer streamer = new TurnStreamer(services.events(), services.scrubber(), agent.id(), conversationId);
    ToolLoop loop = new ToolLoop(context, model, tools.listed(), maxTurns, services.router().requestTimeout(),
        streamer).unlisted(tools.refused());
    return loop.run(prompt).map(r -> {
      streamer.flush();
      return new Attempt(r, state);
    }).recover(err -> {
      if (mayRetry && ContextOverflow.is(err) && !history.isEmpty()) {
        log.warn("[{}] The model's context overflowed; dropping the oldest history and retrying once", conversationId);
        compaction.emergency(services.config().compaction().emergencyFraction(), 1.0);
        return attempt(model, incoming, maxTurns, role, false);
      }
      return Future.failedFuture(err);
    });
  }

  /** The portal gives every sender of a session the same id; there the name tells people apart. */
  private static String senderKey(String platform, String senderId, String senderName) {
    return "portal".equals(platform) ? "name:" + senderName : String.valueOf(senderId);
  }
}
