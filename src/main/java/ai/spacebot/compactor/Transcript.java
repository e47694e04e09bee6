package ai.spacebot.compactor;

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
 * A slice of history as a plain-text transcript, so it can be sent to any provider as one user message
 * (raw tool messages would need their calls and a tool-capable model).
 */
public final class Transcript {
  private Transcript() {}

  public static String render(List<ChatMessage> messages) {
    StringBuilder out = new StringBuilder();
    for (ChatMessage m : messages) {
      if (m instanceof UserMessage u) {
        line(out, "User: " + userText(u));
      } else if (m instanceof AiMessage ai) {
        if (ai.text() != null && !ai.text().isBlank()) {
          line(out, "Assistant: " + ai.text().strip());
        }
        if (ai.hasToolExecutionRequests()) {
          for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
            line(out, "Assistant called tool " + call.name() + "(" + (call.arguments() == null ? "" : call.arguments().strip()) + ")");
          }
        }
      } else if (m instanceof ToolExecutionResultMessage result) {
        line(out, "Tool result" + (result.toolName() == null ? "" : " (" + result.toolName() + ")") + ": "
            + (result.text() == null ? "" : result.text().strip()));
      } else if (m instanceof SystemMessage system) {
        line(out, "System: " + system.text().strip());
      }
    }
    return out.toString().stripTrailing();
  }

  private static String userText(UserMessage u) {
    StringBuilder text = new StringBuilder();
    int media = 0;
    for (Content c : u.contents()) {
      if (c instanceof TextContent t) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(t.text().strip());
      } else {
        media++;
      }
    }
    if (media > 0) {
      text.append(text.length() > 0 ? " " : "").append("[").append(media).append(" attachment(s)]");
    }
    return text.toString();
  }

  private static void line(StringBuilder out, String line) {
    out.append(line).append('\n');
  }
}
