package ai.spacebot.llm.context;

import ai.spacebot.bus.CompactionDecision;
import ai.spacebot.config.CompactionSettings;

/**
 * When history is trimmed: usage = estimated tokens / context window; from the emergency threshold the
 * oldest {@code emergencyFraction} is dropped at once, from the aggressive threshold the oldest
 * {@code aggressiveFraction} is summarised, from the background threshold the oldest
 * {@code backgroundFraction}.
 */
public final class CompactionPolicy {
  public static final String BACKGROUND = "background";
  public static final String AGGRESSIVE = "aggressive";
  public static final String EMERGENCY = "emergency";
  public static final String NONE = "none";

  private CompactionPolicy() {}

  public static CompactionDecision decide(long estimatedTokens, CompactionSettings s) {
    double usage = usage(estimatedTokens, s);
    return switch (level(usage, s)) {
      case EMERGENCY -> new CompactionDecision(CompactionDecision.EMERGENCY, s.emergencyFraction(), usage);
      case AGGRESSIVE -> new CompactionDecision(CompactionDecision.SUMMARIZE, s.aggressiveFraction(), usage);
      case BACKGROUND -> new CompactionDecision(CompactionDecision.SUMMARIZE, s.backgroundFraction(), usage);
      default -> new CompactionDecision(CompactionDecision.NONE, 0.0, usage);
    };
  }

  public static double usage(long estimatedTokens, CompactionSettings s) {
    return s.contextWindow() <= 0 ? 0.0 : (double) Math.max(0, estimatedTokens) / s.contextWindow();
  }

  /** The level name used in compaction events: background, aggressive, emergency, or none below all thresholds. */
  public static String level(double usage, CompactionSettings s) {
    if (usage >= s.emergencyThreshold()) {
      return EMERGENCY;
    }
    if (usage >= s.aggressiveThreshold()) {
      return AGGRESSIVE;
    }
    if (usage >= s.backgroundThreshold()) {
      return BACKGROUND;
    }
    return NONE;
  }

  /** The level of a decision, from the usage it carries. */
  public static String level(CompactionDecision decision, CompactionSettings s) {
    return level(decision.usage(), s);
  }
}
