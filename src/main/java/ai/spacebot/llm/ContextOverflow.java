package ai.spacebot.llm;

import java.util.Locale;

/**
 * Recognises a provider's "the prompt is larger than the context window" refusal. It is a 400 like any
 * bad request, so only its text tells it apart; these are the phrasings of OpenAI(-compatible)
 * servers, Anthropic, Gemini and llama.cpp/vLLM.
 */
public final class ContextOverflow {
  private static final String[] MARKERS = {
      "context_length_exceeded", "maximum context length", "context length", "context window",
      "prompt is too long", "too many tokens", "input is too long", "exceeds the context", "request too large",
      "input token count"};

  private ContextOverflow() {}

  public static boolean is(Throwable err) {
    for (Throwable e = err; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String msg = e.getMessage();
      if (msg != null) {
        String lower = msg.toLowerCase(Locale.ROOT);
        for (String marker : MARKERS) {
          if (lower.contains(marker)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
