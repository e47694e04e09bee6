package ai.spacebot.llm.resilience;

/** A model answered without text or tool calls; treated like a transient failure. */
public final class EmptyResponseException extends RuntimeException {
  public EmptyResponseException(String message) {
    super(message);
  }
}
