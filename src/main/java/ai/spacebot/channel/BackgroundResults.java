package ai.spacebot.channel;

import ai.spacebot.bus.ProcessReport;
import ai.spacebot.config.ChannelSettings;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Branch and worker results waiting for the channel: stored as they arrive, debounced so results close together
 * share one re-trigger turn, capped at a few re-triggers per user message (later ones only join history).
 * Touched only on the channel's event loop.
 */
final class BackgroundResults {
  private static final Logger log = LoggerFactory.getLogger(BackgroundResults.class);

  private final ChannelServices services;
  private final String agentId;
  private final String platform;
  private final String conversationId;
  private final Vertx vertx;
  private final ChannelSettings settings;
  /** Called when the debounce is over and a re-trigger is due. */
  private final Runnable onDue;
  private final List<PendingResult> results = new ArrayList<>();
  /** Results that ask for no turn (a cancel the channel made itself): the next turn sees them. */
  private final List<PendingResult> quiet = new ArrayList<>();
  private long timer = -1;
  private boolean due;
  private int sinceUser;

  BackgroundResults(ChannelServices services, String agentId, String platform, String conversationId, Vertx vertx,
      Runnable onDue) {
    this.services = services;
    this.agentId = agentId;
    this.platform = platform;
    this.conversationId = conversationId;
    this.vertx = vertx;
    this.settings = services.config().channel();
    this.onDue = onDue;
  }

  /** A stored result whose turn never ran (a stop or crash in between). */
  void resume(PendingResult r) {
    results.add(r);
  }

  boolean waiting() {
    return !results.isEmpty();
  }

  boolean timerPending() {
    return timer >= 0;
  }

  void markDue() {
    due = true;
  }

  /**
   * A result arrived, with the role of the turn that started its process. Stored on arrival and awaiting its turn
   * until that turn is recorded: a stop in between loses nothing, the channel reopens with it and re-triggers then.
   */
  void arrived(ProcessReport.Result r, TurnRole role, boolean wantsTurn) {
    PendingResult pending = new PendingResult(UUID.randomUUID().toString(), PromptAssembly.resultText(r),
        PromptAssembly.cappedText(r), role);
    services.transcript().appendProcessResult(conversationId, agentId, platform, pending.rowId(),
        r.processId(), r.kind().wire(), pending.text(), wantsTurn).onFailure(err ->
        log.warn("[{}] Could not store the result of {}: {}", conversationId, r.processId(), err.getMessage()));
    if (!wantsTurn) {
      quiet.add(pending);
      return;
    }
    results.add(pending);
    // Debounce: results close together share one turn.
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    timer = vertx.setTimer(Math.max(1, settings.retriggerDebounceMs()), id -> {
      timer = -1;
      due = true;
      onDue.run();
    });
  }

  /** A user turn starts: it takes every waiting result along and resets the re-trigger count. */
  List<PendingResult> takeForUserTurn() {
    sinceUser = 0;
    return take();
  }

  /**
   * If a re-trigger is due: the results it takes, or null when none is due or the cap is reached (then the
   * results only join history through {@code remember}, and the next user message sees them).
   */
  List<PendingResult> takeForRetrigger(Consumer<ChatMessage> remember) {
    if (!due) {
      return null;
    }
    due = false;
    if (results.isEmpty()) {
      return null;
    }
    if (sinceUser < settings.maxRetriggers()) {
      sinceUser++;
      return take();
    }
    List<PendingResult> capped = new ArrayList<>(results);
    results.clear();
    for (PendingResult r : capped) {
      remember.accept(UserMessage.from(r.cappedText()));
    }
    services.transcript().completeTurn(rowIds(capped), null)
        .onFailure(err -> log.warn("[{}] Could not mark capped results: {}", conversationId, err.getMessage()));
    return null;
  }

  /** The waiting results, quiet ones first; the debounce is over. */
  private List<PendingResult> take() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    due = false;
    List<PendingResult> out = new ArrayList<>(quiet);
    quiet.clear();
    out.addAll(results);
    results.clear();
    return out;
  }

  static List<ChatMessage> messagesOf(List<PendingResult> taken) {
    List<ChatMessage> out = new ArrayList<>(taken.size());
    taken.forEach(r -> out.add(UserMessage.from(r.text())));
    return out;
  }

  /** The transcript rows of the results a turn takes up; the turn's record marks them handled. */
  static List<String> rowIds(List<PendingResult> taken) {
    return taken.stream().map(PendingResult::rowId).toList();
  }

  /** What the results' processes were started for, joined with {@code base} (or alone when base is null). */
  static TurnRole roleOf(List<PendingResult> taken, TurnRole base, TurnRole fallback) {
    TurnRole role = base;
    for (PendingResult r : taken) {
      role = role == null ? r.role() : role.and(r.role());
    }
    return role == null ? fallback : role;
  }
}
