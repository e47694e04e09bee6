package ai.spacebot.testkit;

import ai.spacebot.testkit.TelegramPeer.ChatAction;
import ai.spacebot.testkit.TelegramPeer.Reaction;
import ai.spacebot.testkit.TelegramWorld.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The Bot API methods the shim answers itself (all but getUpdates and the webhook ones, which {@link TelegramShim}
 * owns). getMe and sendMessage go through telegram-test-api, whose answers are repaired on the way back.
 */
final class TelegramBotApi {
  /** Telegram's standard reaction emoji; any other is REACTION_INVALID. */
  static final Set<String> REACTIONS = Set.of("❤", "👍", "👎", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢",
      "🎉", "🤩", "🤮", "💩", "🙏", "👌", "🕊", "🤡", "🥱", "🥴", "😍", "🐳", "❤‍🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌",
      "🏆", "💔", "🤨", "😐", "🍓", "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨‍💻", "👀", "🎃", "🙈", "😇", "😨",
      "🤝", "✍", "🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿", "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾",
      "🤷‍♂", "🤷", "🤷‍♀", "😡");
  static final Set<String> ACTIONS = Set.of("typing", "upload_photo", "record_video", "upload_video", "record_voice",
      "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note");

  /** Sends a JSON body to the emulator's bot route and answers its whole response. */
  interface Emulator extends BiFunction<String, JsonObject, Future<JsonObject>> {}

  private final TelegramWorld world;
  private final TelegramMessages messages;
  private final Emulator emulator;
  private final BooleanSupplier privacy;
  private final Map<String, Method> methods;

  private interface Method {
    Future<Object> call(TelegramParams p) throws TelegramApiError;
  }

  TelegramBotApi(TelegramWorld world, Emulator emulator, BooleanSupplier privacy) {
    this.world = world;
    this.messages = new TelegramMessages(world);
    this.emulator = emulator;
    this.privacy = privacy;
    this.methods = Map.ofEntries(
        Map.entry("getMe", p -> getMe()),
        Map.entry("sendMessage", this::sendMessage),
        Map.entry("sendPhoto", p -> Future.succeededFuture(messages.sendMedia(p, "photo", photo(p)))),
        Map.entry("sendDocument", p -> Future.succeededFuture(messages.sendMedia(p, "document", document(p)))),
        Map.entry("sendPoll", p -> Future.succeededFuture(messages.sendPoll(p))),
        Map.entry("editMessageText", p -> Future.succeededFuture(messages.editMessageText(p))),
        Map.entry("editMessageReplyMarkup", p -> Future.succeededFuture(messages.editMessageReplyMarkup(p))),
        Map.entry("deleteMessage", p -> Future.succeededFuture(messages.deleteMessage(p))),
        Map.entry("sendChatAction", this::sendChatAction),
        Map.entry("setMessageReaction", this::setMessageReaction),
        Map.entry("setMyCommands", this::setMyCommands),
        Map.entry("getMyCommands", p -> Future.succeededFuture(world.commands(scopeKey(p)))),
        Map.entry("deleteMyCommands", p -> {
          world.setCommands(scopeKey(p), null);
          return Future.succeededFuture(true);
        }),
        Map.entry("getFile", this::getFile),
        Map.entry("answerCallbackQuery", this::answerCallbackQuery),
        Map.entry("getChat", p -> Future.succeededFuture(messages.chat(p).put("accent_color_id", 0).put("max_reaction_count", 11))));
  }

  /** The canonical name of a method Telegram's URL named in any case, or null when the shim does not have it. */
  String canonical(String method) {
    return methods.keySet().stream().filter(m -> m.equalsIgnoreCase(method)).findFirst().orElse(null);
  }

  Future<Object> call(String canonicalMethod, TelegramParams p) {
    try {
      return methods.get(canonicalMethod).call(p);
    } catch (TelegramApiError e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Object> getMe() {
    return emulator.apply("getMe", new JsonObject()).map(res -> {
      // telegram-test-api answers a fixed user without is_bot (TelegramBots refuses that: isBot is non-null)
      JsonObject me = res.getJsonObject("result").mergeIn(world.bot).put("is_bot", true)
          .put("can_join_groups", true).put("can_read_all_group_messages", !privacy.getAsBoolean())
          .put("supports_inline_queries", false);
      return me;
    });
  }

  private Future<Object> sendMessage(TelegramParams p) throws TelegramApiError {
    String plain = messages.checkSendMessage(p);
    return emulator.apply("sendMessage", p.json()).compose(res -> {
      // telegram-test-api dates its messages in milliseconds; Telegram (and the Integer in TelegramBots) in seconds
      long date = TelegramShim.seconds(res.getJsonObject("result").getLong("date"));
      try {
        return Future.succeededFuture(messages.sendMessage(p, plain, date));
      } catch (TelegramApiError e) {
        return Future.failedFuture(e);
      }
    });
  }

  private Future<Object> sendChatAction(TelegramParams p) throws TelegramApiError {
    JsonObject chat = messages.chat(p);
    String action = p.string("action");
    if (action == null || !ACTIONS.contains(action)) {
      throw TelegramApiError.badRequest("wrong parameter action in request");
    }
    world.addAction(new ChatAction(chat.getLong("id"), action, p.integer("message_thread_id"), Instant.now()));
    return Future.succeededFuture(true);
  }

  private Future<Object> setMessageReaction(TelegramParams p) throws TelegramApiError {
    JsonObject chat = messages.chat(p);
    Integer id = p.integer("message_id");
    if (id == null || world.message(chat.getLong("id"), id).isEmpty()) {
      throw TelegramApiError.badRequest("message to react not found");
    }
    List<String> emoji = new ArrayList<>();
    JsonArray reaction = p.array("reaction");
    for (Object r : reaction == null ? new JsonArray() : reaction) {
      JsonObject type = (JsonObject) r;
      if (!"emoji".equals(type.getString("type")) || !REACTIONS.contains(type.getString("emoji"))) {
        throw TelegramApiError.badRequest("REACTION_INVALID");
      }
      emoji.add(type.getString("emoji"));
    }
    if (emoji.size() > 1) {
      throw TelegramApiError.badRequest("REACTIONS_TOO_MANY");
    }
    world.addReaction(new Reaction(chat.getLong("id"), id, List.copyOf(emoji), p.flag("is_big"), Instant.now()));
    return Future.succeededFuture(true);
  }

  private Future<Object> setMyCommands(TelegramParams p) throws TelegramApiError {
    JsonArray commands = p.array("commands");
    if (commands == null) {
      throw TelegramApiError.badRequest("parameter \"commands\" is required");
    }
    if (commands.size() > 100) {
      throw TelegramApiError.badRequest("too many commands specified");
    }
    for (Object c : commands) {
      JsonObject command = (JsonObject) c;
      String name = command.getString("command", "");
      if (!name.matches("[a-z0-9_]{1,32}")) {
        throw TelegramApiError.badRequest("BOT_COMMAND_INVALID");
      }
      String description = command.getString("description", "");
      if (description.isBlank() || description.length() > 256) {
        throw TelegramApiError.badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    world.setCommands(scopeKey(p), commands);
    return Future.succeededFuture(true);
  }

  private static String scopeKey(TelegramParams p) {
    JsonObject scope = p.object("scope");
    return (scope == null ? "default" : scope.encode()) + "|" + (p.string("language_code") == null ? "" : p.string("language_code"));
  }

  private Future<Object> getFile(TelegramParams p) throws TelegramApiError {
    String fileId = p.string("file_id");
    StoredFile file = fileId == null ? null : world.file(fileId).orElse(null);
    if (file == null) {
      throw TelegramApiError.badRequest("invalid file_id");
    }
    if (file.bytes().length > 20 * 1024 * 1024) {
      throw TelegramApiError.badRequest("file is too big");
    }
    return Future.succeededFuture(new JsonObject().put("file_id", file.fileId()).put("file_unique_id", file.uniqueId())
        .put("file_size", file.bytes().length).put("file_path", file.path()));
  }

  private Future<Object> answerCallbackQuery(TelegramParams p) throws TelegramApiError {
    String id = p.string("callback_query_id");
    if (id == null || !world.answerCallback(id, p.json())) {
      throw TelegramApiError.badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    return Future.succeededFuture(true);
  }

  private JsonObject document(TelegramParams p) throws TelegramApiError {
    StoredFile file = upload(p, "document", "documents");
    return new JsonObject().put("document", new JsonObject().put("file_id", file.fileId())
        .put("file_unique_id", file.uniqueId()).put("file_name", file.name()).put("mime_type", file.mimeType())
        .put("file_size", file.bytes().length));
  }

  private JsonObject photo(TelegramParams p) throws TelegramApiError {
    StoredFile file = upload(p, "photo", "photos");
    if (file.bytes().length > 10 * 1024 * 1024) {
      throw TelegramApiError.badRequest("PHOTO_SAVE_FILE_INVALID");
    }
    return new JsonObject().put("photo", TelegramPeer.photoSizes(file));
  }

  /** A new upload (multipart part named after the field, or attach://name), or a file_id the server already has. */
  private StoredFile upload(TelegramParams p, String field, String folder) throws TelegramApiError {
    String value = p.string(field);
    TelegramParams.Upload upload = p.files().get(field);
    if (upload == null && value != null && value.startsWith("attach://")) {
      upload = p.files().get(value.substring("attach://".length()));
    }
    if (upload != null) {
      String name = upload.fileName() == null || upload.fileName().isBlank() ? field : upload.fileName();
      return world.addFile(upload.bytes(), name, upload.contentType(), folder);
    }
    if (value == null || value.isBlank()) {
      throw TelegramApiError.badRequest("there is no " + field + " in the request");
    }
    if (value.toLowerCase(Locale.ROOT).startsWith("http://") || value.toLowerCase(Locale.ROOT).startsWith("https://")) {
      throw TelegramApiError.badRequest("failed to get HTTP URL content");  // the peer is offline: no URL fetches
    }
    return world.file(value).orElseThrow(() -> TelegramApiError.badRequest("wrong file identifier/HTTP URL specified"));
  }

  Set<String> names() {
    return methods.keySet().stream().collect(Collectors.toUnmodifiableSet());
  }
}
