package ai.spacebot.memory;

import java.util.Locale;

/**
 * @param mode hybrid (default), recent, important or typed
 * @param type required for typed, an optional filter otherwise
 */
public record RecallQuery(String agentId, String query, int maxResults, Mode mode, MemoryType type) {
  public static final int DEFAULT_MAX = 10;

  public enum Mode {
    HYBRID, RECENT, IMPORTANT, TYPED;

    public static Mode parse(String s) {
      if (s == null || s.isBlank()) {
        return HYBRID;
      }
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown mode \"" + s + "\"; use hybrid, recent, important or typed");
      }
    }
  }

  public RecallQuery {
    if (maxResults <= 0) {
      maxResults = DEFAULT_MAX;
    }
    if (mode == null) {
      mode = Mode.HYBRID;
    }
    if (mode == Mode.HYBRID && (query == null || query.isBlank())) {
      throw new IllegalArgumentException("query must not be empty for hybrid recall");
    }
    if (mode == Mode.TYPED && type == null) {
      throw new IllegalArgumentException("typed recall needs memory_type");
    }
  }

  public static RecallQuery hybrid(String agentId, String query, int max) {
    return new RecallQuery(agentId, query, max, Mode.HYBRID, null);
  }
}
