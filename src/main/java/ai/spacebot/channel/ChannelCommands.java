package ai.spacebot.channel;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.SpacebotConfig;
import java.util.Locale;
import java.util.Optional;

/**
 * The slash commands a channel answers itself, before any model call: {@code /help}, {@code /status},
 * {@code /whoami}, {@code /model [id]}, and for the binding's authority users {@code /active}, {@code /observe},
 * {@code /mention-only} and {@code /model id}. Adapters normalise their platform's forms ("/cmd@ourbot", Discord
 * application commands) to this text.
 */
final class ChannelCommands {
  static final String HELP = """
      Commands:
      /help — this list
      /status — what I am doing here (running branches and workers, model, mode)
      /whoami — who you are to me, and this conversation's id
      /model — the model answering here; /model provider/model pins one (operators)
      /active — answer every message here (operators)
      /mention-only — answer only when mentioned or replied to (operators)
      /observe — read along, never answer (operators)""";

  /** What a command does to the conversation, for the channel to apply before it answers. */
  sealed interface Effect {
    record None() implements Effect {}

    record SetMode(String mode) implements Effect {}

    record PinModel(String model) implements Effect {}
  }

  /** A command's answer and its effect. */
  record Outcome(String reply, Effect effect) {}

  /** The facts a command answers from. */
  record Facts(String agentId, String conversationId, String platform, String model, String mode, String status) {}

  private final SpacebotConfig config;

  ChannelCommands(SpacebotConfig config) {
    this.config = config;
  }

  /** The command's name if the text is one of ours ({@code /model foo} → {@code model}); else empty. */
  static Optional<String> name(String text) {
    if (text == null || !text.startsWith("/")) {
      return Optional.empty();
    }
    String word = text.substring(1).split("\\s+", 2)[0].toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (word) {
      case "help", "status", "whoami", "model", "active", "observe", "mention-only" -> Optional.of(word);
      default -> Optional.empty();
    };
  }

  Outcome run(InboundMessage in, Facts facts) {
    String name = name(in.text()).orElseThrow();
    String[] parts = in.text().strip().split("\\s+", 2);
    String argument = parts.length > 1 ? parts[1].strip() : "";
    Addressing who = in.addressing();
    return switch (name) {
      case "help" -> new Outcome(HELP, new Effect.None());
      case "status" -> new Outcome("Model: " + facts.model() + "\nMode here: " + facts.mode() + "\n" + facts.status(),
          new Effect.None());
      case "whoami" -> new Outcome("You are " + (in.senderName() == null ? "someone" : in.senderName()) + " ("
          + in.platform() + " id " + in.senderId() + "). This conversation is " + facts.conversationId() + ", answered by "
          + "agent " + facts.agentId() + ". You " + (who.authority() ? "can" : "cannot") + " change its mode and model.",
          new Effect.None());
      case "model" -> model(argument, who, facts);
      default -> mode(name.equals("mention-only") ? Addressing.MENTION_ONLY : name, who);
    };
  }

  private Outcome model(String argument, Addressing who, Facts facts) {
    if (argument.isEmpty()) {
      return new Outcome("Model here: " + facts.model(), new Effect.None());
    }
    if (!who.authority()) {
      return new Outcome(notAllowed(), new Effect.None());
    }
    if (argument.equalsIgnoreCase("default") || argument.equalsIgnoreCase("reset")) {
      return new Outcome("Model pin removed; routing picks the model again.", new Effect.PinModel(null));
    }
    int slash = argument.indexOf('/');
    if (slash <= 0 || slash == argument.length() - 1 || argument.contains(" ")) {
      return new Outcome("Give the model as provider/model, e.g. /model openai/gpt-4.1-mini (or /model default).",
          new Effect.None());
    }
    String provider = argument.substring(0, slash);
    if (!config.llm().providers().containsKey(provider)) {
      return new Outcome("Provider \"" + provider + "\" is not configured; configured: "
          + String.join(", ", config.llm().providers().keySet()) + ".", new Effect.None());
    }
    return new Outcome("This conversation now uses " + argument + ".", new Effect.PinModel(argument));
  }

  private Outcome mode(String mode, Addressing who) {
    if (!who.authority()) {
      return new Outcome(notAllowed(), new Effect.None());
    }
    String words = switch (mode) {
      case Addressing.OBSERVE -> "I will read along here and not answer (until /active or /mention-only).";
      case Addressing.MENTION_ONLY -> "I will answer here only when mentioned or replied to.";
      default -> "I will answer every message here.";
    };
    return new Outcome(words, new Effect.SetMode(mode));
  }

  private static String notAllowed() {
    return "Only this bot's operators can change that here.";
  }
}
