package ai.spacebot.channel;

import ai.spacebot.config.ChannelSettings;
import ai.spacebot.config.CompactionSettings;
import ai.spacebot.llm.context.HistoryCut;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
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

  /** Puts what the transcript held before whatever arrived while it loaded (that is newer). */
  void loaded(List<ChatMessage> older) {
    List<ChatMessage> all = new ArrayList<>(older);
    all.addAll(history);
    history = all;
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
