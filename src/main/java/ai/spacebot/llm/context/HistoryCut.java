package ai.spacebot.llm.context;

import ai.spacebot.config.CompactionSettings;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure functions that trim a history from its oldest end. Every cut respects tool pairs: an
 * {@link AiMessage} with tool execution requests is never separated from the
 * {@link ToolExecutionResultMessage}s that answer it, so a trimmed history never opens with a tool
 * result (which providers reject). The input lists are never modified.
 */
public final class HistoryCut {
  /** The head of a compacted history: this prefix, then the summary. */
  public static final String SUMMARY_PREFIX = "[Compaction Summary]: ";

  private HistoryCut() {}

  /** The marker that replaces {@code dropped} messages removed without a summary. */
  public static UserMessage dropMarker(int dropped) {
    return UserMessage.from("[Compaction: " + dropped + " older messages were dropped to stay within the context window.]");
  }

  /** The message that stands for the summarised oldest part of a history. */
  public static UserMessage summaryMessage(String summary) {
    return UserMessage.from(SUMMARY_PREFIX + (summary == null ? "" : summary.strip()));
  }

  /**
   * How many of the oldest messages to remove to take away about {@code fraction} of the history's
   * estimated tokens: the fewest whose tokens reach the fraction, at least one when {@code fraction > 0}
   * and there are two or more messages, then moved forward past any tool results that answer the last
   * removed call. The last message is always kept; when keeping a tool group whole would need it to go,
   * the cut moves back before that group instead (0 when the whole history is one group).
   */
  public static int cutCount(List<ChatMessage> history, double fraction) {
    int n = history.size();
    if (!(fraction > 0) || n < 2) {
      return 0;
    }
    double target = fraction * TokenEstimator.estimate(history);
    long removed = 0;
    int k = 0;
    while (k < n - 1 && (k == 0 || removed < target)) {
      removed += TokenEstimator.estimate(history.get(k));
      k++;
    }
    return align(history, k);
  }

  /**
   * The history with its oldest ~{@code fraction} removed (same boundary rules as {@link #cutCount})
   * and a {@link #dropMarker} at its head saying how many messages went. Unchanged when nothing can go.
   */
  public static List<ChatMessage> emergencyDrop(List<ChatMessage> history, double fraction) {
    int cut = cutCount(history, fraction);
    if (cut == 0) {
      return new ArrayList<>(history);
    }
    return withMarker(dropMarker(cut), history, cut);
  }

  /**
   * The history with its first {@code removed} messages replaced by one {@link #summaryMessage}. Tool
   * results that would follow the summary without their call (a {@code removed} that split a tool
   * group) are dropped too. Unchanged when {@code removed <= 0}.
   */
  public static List<ChatMessage> withSummary(List<ChatMessage> history, int removed, String summary) {
    if (removed <= 0) {
      return new ArrayList<>(history);
    }
    return withMarker(summaryMessage(summary), history, Math.min(removed, history.size()));
  }

  /**
   * The history a branch forks: unchanged when it fits in {@code contextWindow * (1 - forkReserve)}
   * estimated tokens; otherwise the oldest messages are dropped (tool groups whole) until it fits with a
   * {@link #dropMarker} at its head, but the last {@code forkKeepLast} messages are always kept whole
   * (with the call their first message answers, if it is a tool result), even if they alone are over
   * the budget.
   */
  public static List<ChatMessage> forkToFit(List<ChatMessage> history, CompactionSettings s) {
    int n = history.size();
    long budget = (long) Math.floor(s.contextWindow() * (1.0 - s.forkReserve()));
    long[] suffix = new long[n + 1];
    for (int i = n - 1; i >= 0; i--) {
      suffix[i] = suffix[i + 1] + TokenEstimator.estimate(history.get(i));
    }
    if (suffix[0] <= budget) {
      return new ArrayList<>(history);
    }
    int tailStart = n - Math.min(Math.max(0, s.forkKeepLast()), n);
    while (tailStart > 0 && tailStart < n && isToolResult(history.get(tailStart))) {
      tailStart--;
    }
    int cut = tailStart;
    for (int k = 1; k < tailStart; k++) {
      if (isToolResult(history.get(k))) {
        continue;
      }
      if (suffix[k] + TokenEstimator.estimate(dropMarker(k)) <= budget) {
        cut = k;
        break;
      }
    }
    if (cut == 0) {
      return new ArrayList<>(history);
    }
    return withMarker(dropMarker(cut), history, cut);
  }

  /** The marker, then the history from {@code from} on without leading tool results. */
  private static List<ChatMessage> withMarker(UserMessage marker, List<ChatMessage> history, int from) {
    int start = from;
    while (start < history.size() && isToolResult(history.get(start))) {
      start++;
    }
    List<ChatMessage> out = new ArrayList<>(history.size() - start + 1);
    out.add(marker);
    out.addAll(history.subList(start, history.size()));
    return out;
  }

  /**
   * A cut of {@code k} messages moved forward past tool results; if that would remove everything, moved
   * back to just before the call those results answer.
   */
  private static int align(List<ChatMessage> history, int k) {
    int forward = k;
    while (forward < history.size() && isToolResult(history.get(forward))) {
      forward++;
    }
    if (forward < history.size()) {
      return forward;
    }
    int back = k;
    while (back > 0 && isToolResult(history.get(back))) {
      back--;
    }
    return back;
  }

  private static boolean isToolResult(ChatMessage m) {
    return m instanceof ToolExecutionResultMessage;
  }
}
