package ai.spacebot.testkit;

import ai.spacebot.testkit.TelegramPeer.BotMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * The message-making methods of the Bot API on the shared {@link TelegramWorld}: sendMessage, sendPhoto,
 * sendDocument, sendPoll, editMessageText, editMessageReplyMarkup, deleteMessage. Each validates like Telegram
 * before anything changes, and answers the Message object Telegram would (plain text; no entities).
 */
final class TelegramMessages {
  static final int TEXT_LIMIT = 4096;
  static final int CAPTION_LIMIT = 1024;

  private final TelegramWorld world;

  TelegramMessages(TelegramWorld world) {
    this.world = world;
  }

  /** The chat a call names by chat_id (a number or "@username"), after Telegram's checks. */
  JsonObject chat(TelegramParams p) throws TelegramApiError {
    String raw = p.string("chat_id");
    if (raw == null || raw.isBlank()) {
      throw TelegramApiError.badRequest("chat_id is empty");
    }
    Long id;
    if (raw.startsWith("@")) {
      id = world.chatByUsername(raw.substring(1)).orElse(null);
    } else {
      try {
        id = Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        id = null;
      }
    }
    JsonObject chat = id == null ? null : world.chat(id).orElse(null);
    if (chat == null) {
      throw TelegramApiError.badRequest("chat not found");
    }
    if (world.blocked(id)) {
      throw new TelegramApiError(403, "Forbidden: bot was blocked by the user");
    }
    return chat;
  }

  /** Text after parse_mode, checked for emptiness and length as Telegram checks it (UTF-16 units). */
  static String visibleText(String text, String parseMode, int limit, boolean caption) throws TelegramApiError {
    if (text == null || text.isEmpty()) {
      if (caption) {
        return "";
      }
      throw TelegramApiError.badRequest("message text is empty");
    }
    String plain = text;
    if (parseMode != null && !parseMode.isEmpty()) {
      switch (parseMode.toLowerCase(Locale.ROOT)) {
        case "html" -> {
          try {
            plain = TelegramHtml.plainText(text);
          } catch (TelegramHtml.ParseError e) {
            throw TelegramApiError.badRequest("can't parse entities: " + e.getMessage());
          }
        }
        case "markdown", "markdownv2" -> { }  // accepted unchecked: only HTML is validated
        default -> throw TelegramApiError.badRequest("unsupported parse_mode");
      }
    }
    if (!caption && plain.isBlank()) {
      throw TelegramApiError.badRequest("message text is empty");
    }
    if (plain.length() > limit) {
      throw TelegramApiError.badRequest(caption ? "message caption is too long" : "message is too long");
    }
    return plain;
  }

  /** Checks sendMessage before it is forwarded: returns the visible text. */
  String checkSendMessage(TelegramParams p) throws TelegramApiError {
    JsonObject chat = chat(p);
    String plain = visibleText(p.string("text"), p.string("parse_mode"), TEXT_LIMIT, false);
    placement(chat, p);
    return plain;
  }

  JsonObject sendMessage(TelegramParams p, String plain, long date) throws TelegramApiError {
    JsonObject chat = chat(p);
    JsonObject message = base(chat, p, date).put("text", plain);
    return store(message, p, "text", p.string("text"), p.string("parse_mode"));
  }

  JsonObject sendMedia(TelegramParams p, String kind, JsonObject media) throws TelegramApiError {
    JsonObject chat = chat(p);
    String caption = visibleText(p.string("caption"), p.string("parse_mode"), CAPTION_LIMIT, true);
    JsonObject message = base(chat, p, Instant.now().getEpochSecond()).put(kind, media.getValue(kind));
    if (!caption.isEmpty()) {
      message.put("caption", caption);
    }
    return store(message, p, kind, p.string("caption"), p.string("parse_mode"));
  }

  JsonObject sendPoll(TelegramParams p) throws TelegramApiError {
    JsonObject chat = chat(p);
    String question = p.string("question");
    if (question == null || question.isBlank()) {
      throw TelegramApiError.badRequest("poll question must be non-empty");
    }
    if (question.length() > 300) {
      throw TelegramApiError.badRequest("poll question length must not exceed 300");
    }
    JsonArray given = p.array("options");
    int count = given == null ? 0 : given.size();
    if (count < 2) {
      throw TelegramApiError.badRequest("poll must have at least 2 option");
    }
    if (count > 12) {
      throw TelegramApiError.badRequest("poll can't have more than 12 options");
    }
    JsonArray options = new JsonArray();
    for (Object o : given) {
      String text = o instanceof JsonObject j ? j.getString("text") : String.valueOf(o);
      if (text == null || text.isBlank() || text.length() > 100) {
        throw TelegramApiError.badRequest("poll options length must not exceed 100");
      }
      options.add(new JsonObject().put("text", text).put("voter_count", 0));
    }
    JsonObject poll = new JsonObject().put("id", String.valueOf(System.nanoTime())).put("question", question)
        .put("options", options).put("total_voter_count", 0).put("is_closed", false)
        .put("is_anonymous", !p.has("is_anonymous") || p.flag("is_anonymous"))
        .put("type", p.has("type") ? p.string("type") : "regular")
        .put("allows_multiple_answers", p.flag("allows_multiple_answers"));
    JsonObject message = base(chat, p, Instant.now().getEpochSecond()).put("poll", poll);
    return store(message, p, "poll", question, null);
  }

  JsonObject editMessageText(TelegramParams p) throws TelegramApiError {
    JsonObject message = ownMessage(p, "edit");
    String plain = visibleText(p.string("text"), p.string("parse_mode"), TEXT_LIMIT, false);
    if (!message.containsKey("text")) {
      throw TelegramApiError.badRequest("there is no text in the message to edit");
    }
    JsonObject markup = inlineMarkup(p);
    if (plain.equals(message.getString("text")) && java.util.Objects.equals(markup, message.getJsonObject("reply_markup"))) {
      throw TelegramApiError.badRequest("message is not modified: specified new message content and reply markup are"
          + " exactly the same as a current content and reply markup of the message");
    }
    message.put("text", plain).put("edit_date", Instant.now().getEpochSecond());
    putMarkup(message, markup);
    world.putMessage(message);
    world.replaceBotMessage(chatId(message), message.getInteger("message_id"), m -> new BotMessage(m.chatId(),
        m.messageId(), m.kind(), p.string("text"), p.string("parse_mode"), markup, m.replyToMessageId(),
        m.messageThreadId(), true, false, p.json().copy()));
    return message;
  }

  JsonObject editMessageReplyMarkup(TelegramParams p) throws TelegramApiError {
    JsonObject message = ownMessage(p, "edit");
    JsonObject markup = inlineMarkup(p);
    if (java.util.Objects.equals(markup, message.getJsonObject("reply_markup"))) {
      throw TelegramApiError.badRequest("message is not modified: specified new message content and reply markup are"
          + " exactly the same as a current content and reply markup of the message");
    }
    putMarkup(message, markup);
    message.put("edit_date", Instant.now().getEpochSecond());
    world.putMessage(message);
    world.replaceBotMessage(chatId(message), message.getInteger("message_id"), m -> new BotMessage(m.chatId(),
        m.messageId(), m.kind(), m.text(), m.parseMode(), markup, m.replyToMessageId(), m.messageThreadId(), true,
        false, m.params()));
    return message;
  }

  boolean deleteMessage(TelegramParams p) throws TelegramApiError {
    JsonObject chat = chat(p);
    Integer id = p.integer("message_id");
    if (id == null || !world.removeMessage(chat.getLong("id"), id)) {
      throw TelegramApiError.badRequest("message to delete not found");
    }
    world.replaceBotMessage(chat.getLong("id"), id, m -> new BotMessage(m.chatId(), m.messageId(), m.kind(), m.text(),
        m.parseMode(), m.replyMarkup(), m.replyToMessageId(), m.messageThreadId(), m.edited(), true, m.params()));
    return true;
  }

  private JsonObject ownMessage(TelegramParams p, String verb) throws TelegramApiError {
    if (p.has("inline_message_id")) {
      throw TelegramApiError.badRequest("inline messages are not emulated");
    }
    JsonObject chat = chat(p);
    Integer id = p.integer("message_id");
    JsonObject message = id == null ? null : world.message(chat.getLong("id"), id).orElse(null);
    if (message == null) {
      throw TelegramApiError.badRequest("message to " + verb + " not found");
    }
    JsonObject from = message.getJsonObject("from");
    if (from == null || from.getLong("id") != world.botId()) {
      throw TelegramApiError.badRequest("message can't be edited");
    }
    return message;
  }

  /** Where the message goes (topic, reply), checked; throws what Telegram would. */
  private JsonObject placement(JsonObject chat, TelegramParams p) throws TelegramApiError {
    long chatId = chat.getLong("id");
    JsonObject placed = new JsonObject();
    Integer thread = p.integer("message_thread_id");
    if (thread != null && Boolean.TRUE.equals(chat.getBoolean("is_forum"))) {
      JsonObject topic = world.topic(chatId, thread)
          .orElseThrow(() -> TelegramApiError.badRequest("message thread not found"));
      placed.put("message_thread_id", thread).put("is_topic_message", true).put("reply_to_message", topic);
    }
    JsonObject parameters = p.object("reply_parameters");
    Integer replyTo = parameters != null ? parameters.getInteger("message_id") : p.integer("reply_to_message_id");
    boolean withoutReply = p.flag("allow_sending_without_reply")
        || (parameters != null && Boolean.TRUE.equals(parameters.getBoolean("allow_sending_without_reply")));
    if (replyTo != null) {
      JsonObject target = world.message(chatId, replyTo).orElse(null);
      if (target == null && !withoutReply) {
        throw TelegramApiError.badRequest("message to be replied not found");
      }
      if (target != null) {
        target.remove("reply_to_message");
        placed.put("reply_to_message", target);
      }
    }
    return placed;
  }

  private JsonObject base(JsonObject chat, TelegramParams p, long date) throws TelegramApiError {
    JsonObject placed = placement(chat, p);
    JsonObject message = new JsonObject().put("message_id", world.nextMessageId(chat.getLong("id")))
        .put("from", world.bot.copy()).put("chat", chat).put("date", date);
    message.mergeIn(placed);
    putMarkup(message, inlineMarkup(p));
    return message;
  }

  private JsonObject store(JsonObject message, TelegramParams p, String kind, String text, String parseMode)
      throws TelegramApiError {
    world.putMessage(message);
    JsonObject reply = message.getJsonObject("reply_to_message");
    Integer explicitReply = reply == null || reply.containsKey("forum_topic_created") ? null : reply.getInteger("message_id");
    world.addBotMessage(new BotMessage(chatId(message), message.getInteger("message_id"), kind, text, parseMode,
        p.object("reply_markup"), explicitReply, message.getInteger("message_thread_id"), false, false, p.json().copy()));
    return message;
  }

  /** Telegram echoes only inline keyboards in the Message; reply keyboards are not part of it. */
  private static JsonObject inlineMarkup(TelegramParams p) throws TelegramApiError {
    JsonObject markup = p.object("reply_markup");
    if (markup == null || !markup.containsKey("inline_keyboard")) {
      return null;
    }
    JsonArray rows = markup.getJsonArray("inline_keyboard");
    for (Object row : rows) {
      for (Object b : (JsonArray) row) {
        JsonObject button = (JsonObject) b;
        if (button.getString("text") == null) {
          throw TelegramApiError.badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        String data = button.getString("callback_data");
        if (data != null && (data.isEmpty() || data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64)) {
          throw TelegramApiError.badRequest("BUTTON_DATA_INVALID");
        }
      }
    }
    return markup;
  }

  private static void putMarkup(JsonObject message, JsonObject markup) {
    if (markup == null) {
      message.remove("reply_markup");
    } else {
      message.put("reply_markup", markup);
    }
  }

  private static long chatId(JsonObject message) {
    return message.getJsonObject("chat").getLong("id");
  }
}
