package ai.spacebot.llm.context;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.List;

/**
 * A cheap token estimate, run after every turn: a quarter of the characters of all text in a message
 * (rounded up) plus {@link #PER_MESSAGE} for the message's framing. Text is user, system and AI text,
 * tool call names and arguments, and tool results; images and other media are not counted.
 */
public final class TokenEstimator {
  /** Tokens a message costs beyond its text (role, separators). */
  public static final int PER_MESSAGE = 4;

  private TokenEstimator() {}

  public static long estimate(List<? extends ChatMessage> messages) {
    long total = 0;
    for (ChatMessage m : messages) {
      total += estimate(m);
    }
    return total;
  }

  public static long estimate(ChatMessage message) {
    return (chars(message) + 3) / 4 + PER_MESSAGE;
  }

  private static long chars(ChatMessage message) {
    if (message instanceof UserMessage u) {
      long n = 0;
      for (Content c : u.contents()) {
        if (c instanceof TextContent t) {
          n += length(t.text());
        }
      }
      return n;
    }
    if (message instanceof AiMessage ai) {
      long n = length(ai.text());
      if (ai.hasToolExecutionRequests()) {
        for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
          n += length(call.name()) + length(call.arguments());
        }
      }
      return n;
    }
    if (message instanceof ToolExecutionResultMessage result) {
      return length(result.text());
    }
    if (message instanceof SystemMessage system) {
      return length(system.text());
    }
    return 0;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }
}
