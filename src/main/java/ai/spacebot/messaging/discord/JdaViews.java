package ai.spacebot.messaging.discord;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.Channel;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;

/** Reads JDA's entities into the adapter's plain records; the only place that knows JDA's shapes of a message. */
final class JdaViews {
  private JdaViews() {}

  /** Where a message is: guild, channel (a thread's parent), thread, or a DM. */
  record Place(String guildId, String channelId, String threadId, boolean direct) {}

  static Place place(Channel channel, String guildId) {
    if (channel.getType() == ChannelType.PRIVATE || guildId == null) {
      return new Place(null, channel.getId(), null, true);
    }
    if (channel.getType().isThread() && channel instanceof ThreadChannel thread) {
      return new Place(guildId, thread.getParentChannel().getId(), thread.getId(), false);
    }
    return new Place(guildId, channel.getId(), null, false);
  }

  static IncomingMessage message(Message m) {
    Place place = place(m.getChannel(), m.isFromGuild() ? m.getGuildId() : null);
    User author = m.getAuthor();
    Message referenced = m.getReferencedMessage();
    Set<String> mentioned = m.getMentions().getUsers().stream().map(User::getId).collect(Collectors.toSet());
    List<IncomingMessage.FileRef> files = m.getAttachments().stream()
        .map(a -> new IncomingMessage.FileRef(a.getFileName(), a.getContentType(), a.getSize())).toList();
    long at = (m.getTimeEdited() != null ? m.getTimeEdited() : m.getTimeCreated()).toInstant().toEpochMilli();
    return new IncomingMessage(m.getId(), place.guildId(), place.channelId(), place.threadId(), place.direct(),
        author.getId(), name(m.getMember(), author), author.isBot(), m.isWebhookMessage(),
        m.getType().isSystem() || author.isSystem(), m.getContentRaw(), mentioned,
        m.getMessageReference() == null ? null : m.getMessageReference().getMessageId(),
        referenced == null ? null : referenced.getAuthor().getId(), at, files, roles(m.getMember()),
        conversationName(m.getChannel(), name(m.getMember(), author)));
  }

  /**
   * An interaction (a click, a command) as a message of its conversation. It addresses the bot by nature: the
   * person used the bot's own button or command.
   */
  static IncomingMessage interaction(String platformId, Channel channel, String guildId, User user, Member member,
      String text, long at, String selfId) {
    Place place = place(channel, guildId);
    return new IncomingMessage(platformId, place.guildId(), place.channelId(), place.threadId(), place.direct(),
        user.getId(), name(member, user), user.isBot(), false, false, text, Set.of(selfId), null, null, at, List.of(),
        roles(member), conversationName(channel, name(member, user)));
  }

  /** What people call the conversation: {@code #channel (Guild)} (a thread by its own name), or {@code DM with {name}}. */
  static String conversationName(Channel channel, String authorName) {
    if (channel instanceof GuildChannel inGuild) {
      return "#" + channel.getName() + " (" + inGuild.getGuild().getName() + ")";
    }
    return channel.getType() == ChannelType.PRIVATE ? "DM with " + authorName : null;
  }

  /** The member's role ids (a DM has no member). */
  static Set<String> roles(Member member) {
    return member == null ? Set.of()
        : member.getRoles().stream().map(net.dv8tion.jda.api.entities.Role::getId).collect(Collectors.toSet());
  }

  /** The name people see: the member's server nickname, else the global display name, else the username. */
  static String name(Member member, User user) {
    return member != null ? member.getEffectiveName() : user.getEffectiveName();
  }
}
