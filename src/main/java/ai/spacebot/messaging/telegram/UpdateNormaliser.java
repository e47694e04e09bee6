package ai.spacebot.messaging.telegram;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import ai.spacebot.config.TelegramConfig;
import ai.spacebot.messaging.Bindings;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.telegram.telegrambots.meta.api.objects.CallbackQuery;
import org.telegram.telegrambots.meta.api.objects.MessageEntity;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.User;
import org.telegram.telegrambots.meta.api.objects.chat.Chat;
import org.telegram.telegrambots.meta.api.objects.message.MaybeInaccessibleMessage;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.photo.PhotoSize;

/**
 * Turns a Telegram update into what Spacebot stores: a message (private chat, group, supergroup, forum topic), an
 * edit, a button click, or nothing. Pure: no network, no clock but the update's own dates, so it is tested from
 * update JSON alone.
 *
 * <p>Addressing follows Telegram's conventions: the bot is addressed by a {@code mention} entity of its
 * {@code @username}, a {@code text_mention} of its id, a reply to one of its messages, or a command suffixed with
 * its name ({@code /help@ourbot}). A command suffixed with another bot's name is that bot's, not ours.
 */
final class UpdateNormaliser {
  static final String PLATFORM = "telegram";

  private final TelegramConfig config;
  private final Bindings bindings;
  private final BotIdentity bot;

  UpdateNormaliser(TelegramConfig config, Bindings bindings, BotIdentity bot) {
    this.config = config;
    this.bindings = bindings;
    this.bot = bot;
  }

  Normalised normalise(Update update) {
    if (update.getMessage() != null) {
      return message(update.getUpdateId(), update.getMessage());
    }
    if (update.getEditedMessage() != null) {
      return edit(update.getEditedMessage());
    }
    if (update.getCallbackQuery() != null) {
      return click(update.getCallbackQuery());
    }
    return new Normalised.Ignored("an update of a kind Spacebot does not take (only messages, edits and button clicks)");
  }

  private Normalised message(Integer updateId, Message m) {
    String refused = refused(m.getChat(), m.getFrom(), m);
    if (refused != null) {
      return new Normalised.Ignored(refused);
    }
    boolean usesCaption = m.getText() == null;
    String text = usesCaption ? m.getCaption() : m.getText();
    List<MessageEntity> entities = usesCaption ? m.getCaptionEntities() : m.getEntities();
    boolean mentionsBot = mentions(text, entities);
    String replyTo = null;
    Message parent = m.getReplyToMessage();
    if (parent != null && !isTopicRoot(m, parent)) {
      replyTo = String.valueOf(parent.getMessageId());
      mentionsBot |= isUs(parent.getFrom());
    }
    if (text != null && text.startsWith("/")) {
      int end = endOfWord(text);
      String command = text.substring(0, end);
      int at = command.indexOf('@');
      if (at > 0) {
        if (!bot.isNamed(command.substring(at + 1))) {
          return new Normalised.Ignored("a command for another bot (" + command + ")");
        }
        text = command.substring(0, at) + text.substring(end);
        mentionsBot = true;
      }
    }
    List<Normalised.FileRef> files = files(m);
    if ((text == null || text.isBlank()) && files.isEmpty()) {
      return new Normalised.Ignored("nothing Spacebot can read (a service message, a sticker, a location)");
    }
    TelegramChat chat = chatOf(m);
    Sender sender = sender(m.getFrom(), m.getSenderChat(), m.getChat());
    boolean direct = isPrivate(m.getChat());
    Bindings.Route route = bindings.route(PLATFORM, null, chat.chatIdText(), direct, sender.id(), mentionsBot,
        config.authority());
    JsonObject metadata = metadata(chat, m.getChat()).put("message_id", m.getMessageId());
    if (updateId != null) {
      metadata.put("update_id", updateId);
    }
    if (m.getFrom() != null && m.getFrom().getUserName() != null) {
      metadata.put("sender_username", m.getFrom().getUserName());
    }
    InboundMessage inbound = new InboundMessage(UUID.randomUUID().toString(), route.agentId(), PLATFORM,
        chat.conversationId(), sender.id(), sender.name(), text == null ? "" : text, seconds(m.getDate()),
        String.valueOf(m.getMessageId()), metadata, route.addressing(), replyTo, List.of())
        .withConversationName(conversationName(m.getChat(), sender));
    return new Normalised.Inbound(inbound, files);
  }

  private Normalised edit(Message m) {
    String refused = refused(m.getChat(), m.getFrom(), m);
    if (refused != null) {
      return new Normalised.Ignored(refused);
    }
    String text = m.getText() != null ? m.getText() : m.getCaption();
    long at = seconds(m.getEditDate() != null ? m.getEditDate() : m.getDate());
    return new Normalised.Edit(new MessageEdit(PLATFORM, chatOf(m).conversationId(), String.valueOf(m.getMessageId()),
        text == null ? "" : text, false, at));
  }

  private Normalised click(CallbackQuery q) {
    MaybeInaccessibleMessage on = q.getMessage();
    if (on == null || on.getChat() == null) {
      return new Normalised.Ignored("a button click on an inline message (no chat)");
    }
    String refused = refused(on.getChat(), q.getFrom(), null);
    if (refused != null) {
      return new Normalised.Ignored(refused);
    }
    TelegramChat chat = on instanceof Message m ? chatOf(m) : new TelegramChat(on.getChatId(), null);
    Sender sender = sender(q.getFrom(), null, on.getChat());
    boolean direct = isPrivate(on.getChat());
    Bindings.Route route = bindings.route(PLATFORM, null, chat.chatIdText(), direct, sender.id(), true,
        config.authority());
    String data = q.getData() == null ? "" : q.getData();
    String text = "[clicked button \"" + data + "\" on message " + on.getMessageId() + "]";
    JsonObject metadata = metadata(chat, on.getChat()).put("callback_query_id", q.getId())
        .put("callback_data", data).put("message_id", on.getMessageId());
    // A click has no date of its own; the message it was on is older, so the arrival time is the honest one.
    InboundMessage inbound = new InboundMessage(UUID.randomUUID().toString(), route.agentId(), PLATFORM,
        chat.conversationId(), sender.id(), sender.name(), text, System.currentTimeMillis(), "cb:" + q.getId(),
        metadata, route.addressing(), String.valueOf(on.getMessageId()), List.of())
        .withConversationName(conversationName(on.getChat(), sender));
    return new Normalised.Click(inbound, q.getId());
  }

  /** Why a message from this chat and sender is not for the agent, or null if it is. */
  private String refused(Chat chat, User from, Message m) {
    if (chat == null) {
      return "no chat";
    }
    if ("channel".equals(chat.getType())) {
      return "a channel post (Spacebot talks in private chats and groups)";
    }
    if (isUs(from)) {
      return "our own message";
    }
    boolean anonymousAdmin = m != null && m.getSenderChat() != null;
    if (config.ignoreBots() && from != null && Boolean.TRUE.equals(from.getIsBot()) && !anonymousAdmin) {
      return "from a bot (messaging.telegram.ignore_bots)";
    }
    if (isPrivate(chat)) {
      if (!config.dmAllowed()) {
        return "a private chat (messaging.telegram.dm_allowed is false)";
      }
      String user = from == null ? null : String.valueOf(from.getId());
      if (!config.allowedDmUsers().isEmpty() && !config.allowedDmUsers().contains(user)) {
        return "a private chat with a user not in messaging.telegram.allowed_dm_users";
      }
    } else if (!config.allowedChats().isEmpty() && !config.allowedChats().contains(String.valueOf(chat.getId()))) {
      return "a chat not in messaging.telegram.allowed_chats";
    }
    return null;
  }

  private boolean mentions(String text, List<MessageEntity> entities) {
    if (text == null || entities == null) {
      return false;
    }
    for (MessageEntity e : entities) {
      if ("text_mention".equals(e.getType()) && isUs(e.getUser())) {
        return true;
      }
      if ("mention".equals(e.getType()) && e.getOffset() != null && e.getLength() != null) {
        // Telegram counts offsets in UTF-16 code units, as Java strings do.
        int from = e.getOffset();
        int to = from + e.getLength();
        if (from >= 0 && to <= text.length() && bot.isNamed(text.substring(from, to))) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isUs(User user) {
    return user != null && user.getId() != null && user.getId() == bot.id();
  }

  /** In a forum topic every message "replies" to the topic's first message; that is not a reply to anyone. */
  private static boolean isTopicRoot(Message m, Message parent) {
    return parent.getForumTopicCreated() != null
        || (m.isTopicMessage() && parent.getMessageId() != null && parent.getMessageId().equals(m.getMessageThreadId()));
  }

  private static TelegramChat chatOf(Message m) {
    Integer topic = m.isTopicMessage() ? m.getMessageThreadId() : null;
    return new TelegramChat(m.getChat().getId(), topic);
  }

  private static boolean isPrivate(Chat chat) {
    return "private".equals(chat.getType());
  }

  private static JsonObject metadata(TelegramChat chat, Chat source) {
    JsonObject json = new JsonObject().put("chat_id", chat.chatId()).put("chat_type", source.getType());
    if (chat.threadId() != null) {
      json.put("thread_id", chat.threadId());
    }
    if (source.getTitle() != null) {
      json.put("chat_title", source.getTitle());
    }
    return json;
  }

  private record Sender(String id, String name) {}

  /** A group's or channel's title; a private chat is called by the person's name. */
  private static String conversationName(Chat chat, Sender sender) {
    return chat.getTitle() != null ? chat.getTitle() : isPrivate(chat) ? sender.name() : null;
  }

  /** An anonymous group admin writes as the group itself ({@code sender_chat}); Telegram's "from" is a placeholder bot. */
  private static Sender sender(User from, Chat senderChat, Chat chat) {
    if (senderChat != null) {
      String title = senderChat.getTitle() != null ? senderChat.getTitle() : String.valueOf(senderChat.getId());
      return new Sender(String.valueOf(senderChat.getId()), title);
    }
    if (from == null) {
      return new Sender(String.valueOf(chat.getId()), chat.getTitle());
    }
    String name = ((from.getFirstName() == null ? "" : from.getFirstName()) + " "
        + (from.getLastName() == null ? "" : from.getLastName())).strip();
    if (name.isEmpty()) {
      name = from.getUserName() != null ? from.getUserName() : String.valueOf(from.getId());
    }
    return new Sender(String.valueOf(from.getId()), name);
  }

  private static List<Normalised.FileRef> files(Message m) {
    List<Normalised.FileRef> files = new ArrayList<>();
    if (m.getPhoto() != null && !m.getPhoto().isEmpty()) {
      PhotoSize largest = m.getPhoto().stream().max(Comparator.comparingLong(UpdateNormaliser::pixels)).orElseThrow();
      files.add(new Normalised.FileRef(largest.getFileId(), "photo.jpg", "image/jpeg", size(largest.getFileSize())));
    }
    if (m.getDocument() != null) {
      var d = m.getDocument();
      files.add(new Normalised.FileRef(d.getFileId(), orElse(d.getFileName(), "document"),
          orElse(d.getMimeType(), "application/octet-stream"), size(d.getFileSize())));
    }
    if (m.getVoice() != null) {
      var v = m.getVoice();
      files.add(new Normalised.FileRef(v.getFileId(), "voice.ogg", orElse(v.getMimeType(), "audio/ogg"),
          size(v.getFileSize())));
    }
    if (m.getAudio() != null) {
      var a = m.getAudio();
      files.add(new Normalised.FileRef(a.getFileId(), orElse(a.getFileName(), "audio.mp3"),
          orElse(a.getMimeType(), "audio/mpeg"), size(a.getFileSize())));
    }
    if (m.getVideo() != null) {
      var v = m.getVideo();
      files.add(new Normalised.FileRef(v.getFileId(), orElse(v.getFileName(), "video.mp4"),
          orElse(v.getMimeType(), "video/mp4"), size(v.getFileSize())));
    }
    return files;
  }

  private static long pixels(PhotoSize p) {
    if (p.getFileSize() != null) {
      return p.getFileSize();
    }
    return (long) (p.getWidth() == null ? 0 : p.getWidth()) * (p.getHeight() == null ? 0 : p.getHeight());
  }

  private static long size(Number n) {
    return n == null ? -1 : n.longValue();
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static int endOfWord(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return text.length();
  }

  private static long seconds(Integer unix) {
    return unix == null ? System.currentTimeMillis() : unix * 1000L;
  }
}
