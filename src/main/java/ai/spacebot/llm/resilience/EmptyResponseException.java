package ai.spacebot.llm.resilience;

/**
 * A model answered without text or tool calls where an answer was due (not right after tool results, where
 * an empty answer ends the turn); treated like a transient failure.
 */
public final class EmptyResponseException extends RuntimeException {
  public EmptyResponseException(String message) {
    super(message);
  }
}
