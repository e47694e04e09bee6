package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.DiscordFault;
import ai.spacebot.testkit.DiscordPeer;
import ai.spacebot.testkit.DiscordPeer.Guild;
import ai.spacebot.testkit.DiscordPeer.User;
import java.util.List;
import java.util.Map;

/**
 * Discord as the parity suite drives it: {@link DiscordPeer} (our gateway + REST stub, with Prism validating every
 * REST call against Discord's OpenAPI spec), one guild with a channel per group mode. People write through the peer;
 * what the bot posted, its typing and its gateway connections are read from the peer's records. Closing the driver
 * fails if Prism flagged anything.
 */
public final class DiscordDriver implements PlatformDriver {
  private static final List<String> GROUPS = List.of("active", "active+mention", "mention_only", "observe");

  private final DiscordPeer peer;
  private final Guild guild;

  public DiscordDriver() throws Exception {
    this(DiscordPeer.start());
  }

  public DiscordDriver(DiscordPeer peer) {
    this.peer = peer;
    this.guild = peer.createGuild("Parity", GROUPS.toArray(String[]::new));
  }

  public DiscordPeer peer() {
    return peer;
  }

  @Override
  public String platform() {
    return "discord";
  }

  @Override
  public int maxMessageLength() {
    return 2000;
  }

  @Override
  public Map<String, String> env() {
    return Map.of("DISCORD_BOT_TOKEN", peer.token(), "DISCORD_REST_URL", peer.restUrl(), "DISCORD_GATEWAY_URL",
        peer.gatewayUrl());
  }

  @Override
  public Map<String, String> badTokenEnv() {
    return Map.of("DISCORD_BOT_TOKEN", "MTIzNDU2Nzg5.not.the-token-of-this-bot", "DISCORD_REST_URL", peer.restUrl(),
        "DISCORD_GATEWAY_URL", peer.gatewayUrl());
  }

  /** No register_commands: the parity suite uses text commands, and Discord's own slash commands are tested apart. */
  @Override
  public String yaml() {
    StringBuilder yaml = new StringBuilder("messaging:\n  discord:\n    register_commands: false\nbindings:\n");
    for (String key : GROUPS) {
      String mode = key.startsWith("active") ? "active" : key;
      yaml.append("  - platform: discord\n    guild_id: \"").append(guild.id()).append("\"\n    channel_id: \"")
          .append(guild.channel(key)).append("\"\n    agent_id: main\n    response_mode: ").append(mode)
          .append("\n    require_mention: ").append(key.equals("active+mention")).append('\n');
    }
    return yaml.toString();
  }

  @Override
  public Chat dm(String userId, String userName) {
    return new Chat(userId, userId, true);
  }

  @Override
  public Chat group(String groupKey) {
    return new Chat(groupKey, guild.channel(groupKey), false);
  }

  @Override
  public List<String> groupIds() {
    return GROUPS;
  }

  @Override
  public String say(Chat chat, String userId, String userName, String text, boolean mentionBot) {
    User from = new User(userId, userName);
    return chat.direct() ? peer.dm(from, text) : peer.say(chat.id(), from, text, mentionBot);
  }

  @Override
  public void redeliver(Chat chat, String platformMessageId) {
    peer.redeliver(platformMessageId);
  }

  @Override
  public List<String> botMessages(Chat chat) {
    return posted(chat).stream().map(DiscordPeer.BotMessage::content).toList();
  }

  @Override
  public List<Posted> botMessagesTimed(Chat chat) {
    return posted(chat).stream().map(m -> new Posted(m.content(), m.atMillis())).toList();
  }

  private List<DiscordPeer.BotMessage> posted(Chat chat) {
    String channel = channel(chat);
    return channel == null ? List.of() : peer.botMessages(channel);
  }

  /** A DM's channel exists once the person wrote. */
  private String channel(Chat chat) {
    return chat.direct() ? peer.dmChannelId(chat.id()) : chat.id();
  }

  @Override
  public List<Long> typing(Chat chat) {
    String channel = channel(chat);
    return channel == null ? List.of() : peer.typing(channel).stream().map(DiscordPeer.Typing::atMillis).toList();
  }

  @Override
  public void failNextSends(int status, int retryAfterSeconds, int count) {
    peer.failNext("messages", count, status == 429 ? DiscordFault.rateLimited(retryAfterSeconds)
        : DiscordFault.of(status));
  }

  @Override
  public void dropConnection() {
    peer.dropConnection();
  }

  @Override
  public int connections() {
    return peer.connections();
  }

  @Override
  public String conversationId(Chat chat) {
    return chat.direct() ? "discord:dm:" + chat.id() : "discord:" + guild.id() + ":" + chat.id();
  }

  /** Discord renders Markdown: a part is whole when its code fences pair up. */
  @Override
  public boolean wellFormed(String message) {
    int fences = 0;
    for (int at = message.indexOf("```"); at >= 0; at = message.indexOf("```", at + 3)) {
      fences++;
    }
    return fences % 2 == 0;
  }

  @Override
  public void close() {
    List<String> violations = peer.violations();
    List<String> unknown = peer.unhandled();
    peer.close();
    if (!violations.isEmpty() || !unknown.isEmpty()) {
      throw new AssertionError("Discord peer: Prism flagged " + violations + "; routes it does not know: " + unknown);
    }
  }
}
