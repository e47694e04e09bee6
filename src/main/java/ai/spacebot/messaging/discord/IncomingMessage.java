package ai.spacebot.messaging.discord;

import java.util.List;
import java.util.Set;

/**
 * A Discord message as the adapter needs to see it, read off JDA's entities in one place ({@link JdaViews}) so
 * that the rules deciding what it becomes ({@link DiscordNormaliser}) work on plain data.
 *
 * @param guildId null for a DM
 * @param channelId the guild channel (a thread's parent), or the DM channel
 * @param threadId the thread the message was posted in, or null
 * @param mentionedUserIds users mentioned by id ({@code <@id>}), not @everyone, @here or roles
 * @param referencedMessageId the message this one replies to, or null
 * @param referencedAuthorId that message's author, when Discord sent it along
 * @param roleIds the author's roles in the guild (from the member Discord sends with a guild message); bindings'
 *     {@code authority_roles} and {@code allowed_roles} match them
 * @param conversationName {@code #channel (Guild)}, or {@code DM with {name}}; null when unknown
 */
record IncomingMessage(
    String messageId,
    String guildId,
    String channelId,
    String threadId,
    boolean direct,
    String authorId,
    String authorName,
    boolean authorBot,
    boolean webhook,
    boolean system,
    String content,
    Set<String> mentionedUserIds,
    String referencedMessageId,
    String referencedAuthorId,
    long timestamp,
    List<FileRef> files,
    Set<String> roleIds,
    String conversationName) {

  IncomingMessage(String messageId, String guildId, String channelId, String threadId, boolean direct, String authorId,
      String authorName, boolean authorBot, boolean webhook, boolean system, String content, Set<String> mentionedUserIds,
      String referencedMessageId, String referencedAuthorId, long timestamp, List<FileRef> files, Set<String> roleIds) {
    this(messageId, guildId, channelId, threadId, direct, authorId, authorName, authorBot, webhook, system, content,
        mentionedUserIds, referencedMessageId, referencedAuthorId, timestamp, files, roleIds, null);
  }

  IncomingMessage(String messageId, String guildId, String channelId, String threadId, boolean direct, String authorId,
      String authorName, boolean authorBot, boolean webhook, boolean system, String content, Set<String> mentionedUserIds,
      String referencedMessageId, String referencedAuthorId, long timestamp, List<FileRef> files) {
    this(messageId, guildId, channelId, threadId, direct, authorId, authorName, authorBot, webhook, system, content,
        mentionedUserIds, referencedMessageId, referencedAuthorId, timestamp, files, Set.of());
  }

  IncomingMessage {
    roleIds = roleIds == null ? Set.of() : Set.copyOf(roleIds);
    mentionedUserIds = mentionedUserIds == null ? Set.of() : Set.copyOf(mentionedUserIds);
    files = files == null ? List.of() : List.copyOf(files);
    content = content == null ? "" : content;
  }

  /** An attachment as Discord announces it, before it is downloaded. */
  record FileRef(String name, String contentType, long size) {}
}
