package ai.spacebot.tools;

/**
 * What a tool call returns to the model.
 *
 * @param endsTurn the process should stop calling the model after this batch of tool calls (reply, skip)
 */
public record ToolOutput(String text, boolean isError, boolean endsTurn) {
  public static ToolOutput ok(String text) {
    return new ToolOutput(text, false, false);
  }

  public static ToolOutput error(String text) {
    return new ToolOutput(text, true, false);
  }

  public static ToolOutput finish(String text) {
    return new ToolOutput(text, false, true);
  }
}
