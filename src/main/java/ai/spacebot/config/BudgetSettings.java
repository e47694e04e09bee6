package ai.spacebot.config;

/**
 * Spending caps per day; null means no cap. The day rolls over at midnight in {@code timezone}.
 *
 * @param dailyUsd the agent's cap over all its conversations
 * @param conversationDailyUsd each conversation's own cap
 * @param warnAt share of a cap at which a {@code budget_warning} event goes out (0.8)
 */
public record BudgetSettings(Double dailyUsd, Double conversationDailyUsd, String timezone, double warnAt) {
  public static final BudgetSettings NONE = new BudgetSettings(null, null, "UTC", 0.8);
}
