package ai.spacebot.channel;

import ai.spacebot.bus.ProcessKind;
import ai.spacebot.config.ChannelSettings;
import ai.spacebot.config.CompactionSettings;
import ai.spacebot.llm.context.HistoryCut;
import ai.spacebot.store.TranscriptMessage;
import ai.spacebot.store.TranscriptRepository;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** A conversation's history as its model sees it: what is kept, what a fork takes, and what compaction replaces. */
final class ChannelHistory implements ChannelCompaction.History {
  private final ChannelSettings settings;
  private final CompactionSettings compaction;
  private final LongSupplier overhead;
  private List<ChatMessage> history = new ArrayList<>();

  ChannelHistory(ChannelSettings settings, CompactionSettings compaction, LongSupplier overhead) {
    this.settings = settings;
    this.compaction = compaction;
    this.overhead = overhead;
  }

  public List<ChatMessage> messages() {
    return history;
  }

  public void replace(List<ChatMessage> messages) {
    history = messages;
  }

  public long overheadTokens() {
    return overhead.getAsLong();
  }

  boolean isEmpty() {
    return history.isEmpty();
  }

  /**
   * A reopened channel's transcript becomes its history, before whatever arrived while it loaded (that is newer).
   * Unanswered inbound messages are left out (intake queued them; they join history when their turn runs).
   *
   * @param person told of each person's message taken into history
   * @param unfinishedResult told of each branch or worker result whose turn never ran
   */
  void load(List<TranscriptMessage> messages, Consumer<TranscriptMessage> person,
      Consumer<TranscriptMessage> unfinishedResult) {
    List<ChatMessage> older = new ArrayList<>();
    for (TranscriptMessage m : messages) {
      if (m.direction().equals(TranscriptMessage.INBOUND) && !m.status().equals("received")) {
        older.add(PromptAssembly.userMessage(m.senderName(), m.text()));
        person.accept(m);
      } else if (m.direction().equals(TranscriptMessage.OUTBOUND)) {
        older.add(AiMessage.from(m.text()));
      } else if (m.direction().equals(TranscriptMessage.SYSTEM)
          && TranscriptRepository.SENT_ELSEWHERE.equals(m.senderName())) {
        older.add(UserMessage.from(m.text())); // what this agent posted in another channel from here
      } else if (m.direction().equals(TranscriptMessage.SYSTEM) && isProcessKind(m.senderName())) {
        if (m.status().equals(TranscriptRepository.RECEIVED)) {
          unfinishedResult.accept(m);
        } else {
          older.add(UserMessage.from(m.text()));
        }
      }
    }
    older.addAll(history);
    history = older;
  }

  private static boolean isProcessKind(String s) {
    return ProcessKind.BRANCH.wire().equals(s) || ProcessKind.WORKER.wire().equals(s);
  }

  void remember(ChatMessage message) {
    // An image is shown for its turn only: kept, it would cost its tokens on every turn after.
    if (message instanceof UserMessage user && !user.hasSingleText()) {
      message = UserMessage.from(user.contents().stream()
          .filter(c -> c instanceof TextContent)
          .map(c -> ((TextContent) c).text()).reduce((a, b) -> a + "\n" + b).orElse(""));
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
  List<ChatMessage> fork(List<ChatMessage> incoming) {
    List<ChatMessage> all = new ArrayList<>(history);
    all.addAll(incoming);
    return HistoryCut.forkToFit(all, compaction);
  }
}
