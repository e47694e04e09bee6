package ai.spacebot.memory;

import java.util.Locale;

/**
 * @param mode hybrid (default), recent, important or typed; fulltext and vector run one of hybrid's
 *     lists alone (to see what each contributes, and for the retrieval-quality benchmark)
 * @param type required for typed, an optional filter otherwise
 */
public record RecallQuery(String agentId, String query, int maxResults, Mode mode, MemoryType type) {
  public static final int DEFAULT_MAX = 10;

  public enum Mode {
    HYBRID, RECENT, IMPORTANT, TYPED, FULLTEXT, VECTOR;

    public static Mode parse(String s) {
      if (s == null || s.isBlank()) {
        return HYBRID;
      }
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown mode \"" + s + "\"; use hybrid, recent, important, typed, fulltext or vector");
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
    if ((mode == Mode.HYBRID || mode == Mode.FULLTEXT || mode == Mode.VECTOR) && (query == null || query.isBlank())) {
      throw new IllegalArgumentException("query must not be empty for " + mode.name().toLowerCase(Locale.ROOT) + " recall");
    }
    if (mode == Mode.TYPED && type == null) {
      throw new IllegalArgumentException("typed recall needs memory_type");
    }
  }

  public static RecallQuery hybrid(String agentId, String query, int max) {
    return new RecallQuery(agentId, query, max, Mode.HYBRID, null);
  }
}
