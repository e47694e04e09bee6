package ai.spacebot.llm.routing;

import ai.spacebot.config.Routing;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model for a channel turn triggered by user messages, picked by the {@link ComplexityScorer} from
 * {@code routing.tiers}.
 *
 * <p>Fallback rule: when the scored tier has no model, the nearest configured tier is used; between two
 * equally near tiers (a standard message with only light and heavy configured) the stronger one wins,
 * because a weak answer costs the user more than a dearer call. So: light → standard → heavy;
 * standard → heavy → light; heavy → standard → light.
 *
 * @param scored the tier the scorer put the messages in
 * @param tier the tier whose model is used: {@code scored}, or the nearest configured one
 * @param model {@code provider/model}
 * @param explanation one line: the score's explanation, the fallback if any, and the model
 * @param score the full score
 */
public record TierChoice(String scored, String tier, String model, String explanation, ComplexityScorer.Score score) {
  /** Where each tier looks, in order, when it has no model. */
  static final Map<String, List<String>> NEAREST = Map.of(
      ComplexityScorer.LIGHT, List.of(ComplexityScorer.LIGHT, ComplexityScorer.STANDARD, ComplexityScorer.HEAVY),
      ComplexityScorer.STANDARD, List.of(ComplexityScorer.STANDARD, ComplexityScorer.HEAVY, ComplexityScorer.LIGHT),
      ComplexityScorer.HEAVY, List.of(ComplexityScorer.HEAVY, ComplexityScorer.STANDARD, ComplexityScorer.LIGHT));

  /** Empty when the routing has no tiers (the channel slot's model is used as before). */
  public static Optional<TierChoice> choose(Routing routing, List<String> userMessages) {
    Routing.Tiers tiers = routing == null ? Routing.Tiers.NONE : routing.tiers();
    if (!tiers.enabled()) {
      return Optional.empty();
    }
    ComplexityScorer.Score score = ComplexityScorer.score(userMessages == null ? List.of() : userMessages);
    for (String tier : NEAREST.get(score.tier())) {
      String model = tiers.model(tier);
      if (model != null) {
        String via = tier.equals(score.tier()) ? " → " : " → no " + score.tier() + " model, using " + tier + ": ";
        return Optional.of(new TierChoice(score.tier(), tier, model, score.explain() + via + model, score));
      }
    }
    throw new IllegalStateException("enabled tiers without a model");
  }

  public static Optional<TierChoice> choose(Routing routing, String userMessage) {
    return choose(routing, userMessage == null ? List.of() : List.of(userMessage));
  }
}
