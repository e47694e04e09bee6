package ai.spacebot.channel;

import ai.spacebot.bus.ProcessKind;
import ai.spacebot.bus.ProcessReport;
import ai.spacebot.config.AgentConfig;
import ai.spacebot.llm.Fence;
import ai.spacebot.llm.Prompts;
import dev.langchain4j.data.message.UserMessage;
import ai.spacebot.store.ConversationDirectory;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The text a channel's model reads: the system prompt (identity, status, and what the turn's role may do), people's
 * messages as {@code [name] text}, and background results fenced as data (see {@link Fence}).
 */
final class PromptAssembly {
  private final ChannelServices services;
  private final AgentConfig agent;
  private final String platform;
  private final Supplier<String> status;
  private AgentIdentity promptIdentity;
  private long promptMinute;
  private String promptStatus;
  private TurnRole promptRole;
  private String promptChannels;
  private String prompt;
  /** The "your other channels" section, refreshed before each turn; empty when the turn may not send elsewhere. */
  private String channels = "";
  private final String conversationId;

  PromptAssembly(ChannelServices services, AgentConfig agent, String platform, String conversationId,
      Supplier<String> status) {
    this.conversationId = conversationId;
    this.services = services;
    this.agent = agent;
    this.platform = platform;
    this.status = status;
  }

  /** Re-rendered when the minute, the identity files, the status block or the turn's role change. */
  String systemPrompt(TurnRole role) {
    AgentIdentity identity = services.identities().get(agent.id());
    long minute = System.currentTimeMillis() / 60_000;
    String now = status.get();
    if (identity != promptIdentity || minute != promptMinute || !now.equals(promptStatus) || !role.equals(promptRole)
        || !channels.equals(promptChannels)) {
      promptChannels = channels;
      promptIdentity = identity;
      promptMinute = minute;
      promptStatus = now;
      promptRole = role;
      prompt = Prompts.render(services.promptTemplate(), Map.of(
          "agent_name", agent.name(),
          "soul", identity.soul(),
          "identity", identity.identity(),
          "role", identity.role(),
          "time", Prompts.clock(),
          "platform", platform,
          "status", now,
          "permissions", permissions(role),
          "available_channels", channels));
    }
    return prompt;
  }

  /**
   * Reads the agent's other conversations for the "your other channels" section (the {@value #LISTED_CHANNELS} most
   * recently active, and how many more), when the turn's role may send there; a failed read leaves it out.
   */
  Future<Void> refreshChannels(TurnRole role) {
    if (!role.allows(CrossChannelSend.TOOL)) {
      channels = "";
      return Future.succeededFuture();
    }
    return services.transcript().directory().knownConversations(agent.id(), conversationId, LISTED_CHANNELS)
        .map(known -> {
          channels = channelsSection(known, System.currentTimeMillis());
          return (Void) null;
        })
        .otherwise(err -> {
          channels = "";
          return null;
        });
  }

  static final int LISTED_CHANNELS = 20;

  static String channelsSection(ConversationDirectory.KnownConversations known, long now) {
    StringBuilder lines = new StringBuilder();
    for (ConversationDirectory.KnownConversation c : known.newest()) {
      lines.append("- ").append(c.id());
      if (c.displayName() != null) {
        // A name is people's text: it cannot break the list's lines or pose as a heading.
        lines.append(" \"").append(c.displayName().replaceAll("[\\p{Cntrl}\"]", " ")).append('"');
      }
      lines.append(" (").append(c.platform()).append(", last active ").append(ago(now - c.lastActivityAt()))
          .append(")\n");
    }
    long more = known.total() - known.newest().size();
    if (more > 0) {
      lines.append("- and ").append(more).append(" more, less recently active (name them by id)\n");
    }
    if (known.newest().isEmpty()) {
      lines.append("(none yet)\n");
    }
    return Prompts.render(CHANNELS_TEMPLATE, Map.of("channels", lines.toString().stripTrailing())).strip();
  }

  private static final String CHANNELS_TEMPLATE = Prompts.load("available_channels.md");

  private static String ago(long millis) {
    long minutes = Math.max(0, millis) / 60_000;
    if (minutes < 1) {
      return "just now";
    }
    if (minutes < 60) {
      return minutes + " min ago";
    }
    return minutes < 48 * 60 ? minutes / 60 + " h ago" : minutes / (24 * 60) + " d ago";
  }

  /** The last system prompt's size, for the compactor's estimate (0 before the first turn). */
  long overheadTokens() {
    return prompt == null ? 0 : prompt.length() / 4;
  }

  /** What the model is told it may not do in this turn, so that it can explain instead of trying. */
  static String permissions(TurnRole role) {
    String who = switch (role.group()) {
      case TurnRole.AUTHORITY -> "The people writing in this turn are the bot's admins.";
      case TurnRole.ALLOWED -> "The people writing in this turn are trusted members, not the bot's admins.";
      default -> "The people writing in this turn are not the bot's admins.";
    };
    if (role.refused().isEmpty()) {
      return who + " You may use every tool you have for them.";
    }
    StringBuilder out = new StringBuilder(who).append(" In this turn you do not have these tools, because they may ")
        .append("not cause them: ").append(String.join(", ", role.refused())).append('.');
    if (!role.allows("spawn_worker")) {
      out.append(" You cannot run commands, work with files or start workers for them.");
    }
    return out.append(" If they ask for such things, tell them plainly that only the bot's admins can ask for that ")
        .append("here; never pretend to do it.").toString();
  }

  /**
   * A person's message. The name cannot carry brackets or line breaks and the text cannot open a line with a
   * bracketed name or write a fence delimiter, so nobody can pass their words off as someone else's or as data.
   */
  static UserMessage userMessage(String sender, String text) {
    String name = sender == null || sender.isBlank() ? "someone" : sender.replaceAll("[\\[\\]\\s]+", " ").strip();
    String body = Fence.escape(text == null ? "" : text).replace("\n[", "\n\\[");
    return UserMessage.from("[" + name + "] " + body);
  }

  /** A result's line in history: who concluded, then its text fenced as data. */
  static String resultText(ProcessReport.Result r) {
    String head = r.kind() == ProcessKind.BRANCH
        ? "[Branch " + r.processId() + " concluded (" + r.outcome().label() + ")]: "
        : "[Worker " + r.processId() + " " + (r.waitingForInput() ? "answered and waits for input via route" : "completed")
            + " (" + r.outcome().label() + ")]: ";
    return head + fenced(r);
  }

  /** A result past the re-trigger cap, kept for the next turn. */
  static String cappedText(ProcessReport.Result r) {
    return "[Background " + r.kind().wire() + " " + r.processId() + " completed]: " + fenced(r);
  }

  private static String fenced(ProcessReport.Result r) {
    return "\n" + Fence.wrap(r.kind().wire() + " " + r.processId() + " result", r.text());
  }

  /** The note before a coalesced batch. */
  static UserMessage batchNote(int messages, long spanMillis, long people) {
    return UserMessage.from("[" + messages + " messages arrived in " + String.format("%.1f", spanMillis / 1000.0)
        + " s from " + people + (people == 1 ? " person" : " people")
        + "; answer them together in one reply, or skip if none needs you]");
  }
}
