package ai.spacebot.messaging.telegram;

import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.RichReply;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.AdapterVerticle.Step;
import ai.spacebot.messaging.DeliveryException;
import ai.spacebot.messaging.format.Dialect;
import ai.spacebot.messaging.format.MessageFormatter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.ParseMode;
import org.telegram.telegrambots.meta.api.methods.polls.SendPoll;
import org.telegram.telegrambots.meta.api.methods.reactions.SetMessageReaction;
import org.telegram.telegrambots.meta.api.methods.send.SendChatAction;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.polls.input.InputPollOption;
import org.telegram.telegrambots.meta.api.objects.reactions.ReactionTypeEmoji;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;

/**
 * How an outbound message goes out on Telegram, as the ordered steps of {@code AdapterVerticle#plan}: the text (with
 * a card rendered into it) as HTML parts of at most {@value #MAX_LENGTH} characters, the first replying to the
 * triggering message in groups and the last carrying the buttons; then a poll; then one document per file. Every
 * step goes to the conversation's forum topic, if it has one. The same message always gives the same steps.
 */
final class TelegramSender {
  private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);
  static final int MAX_LENGTH = 4096;
  /** Telegram's limit for files a bot uploads. */
  static final long MAX_UPLOAD_BYTES = 50L * 1024 * 1024;
  private static final int CALLBACK_DATA_BYTES = 64;
  private static final int ROW_LABEL_CHARS = 30;
  private static final int ROW_BUTTONS = 3;

  private final Vertx vertx;
  private final Supplier<TelegramApi> client;
  private final SpacebotConfig config;

  /** @param client the connection's API client, or null between connections */
  TelegramSender(Vertx vertx, Supplier<TelegramApi> client, SpacebotConfig config) {
    this.vertx = vertx;
    this.client = client;
    this.config = config;
  }

  private TelegramApi api() {
    TelegramApi api = client.get();
    if (api == null) {
      throw DeliveryException.transientFailure("the Telegram adapter is not connected");
    }
    return api;
  }

  List<Step> plan(OutboundMessage out) {
    TelegramChat chat;
    try {
      chat = TelegramChat.parse(out.conversationId());
    } catch (IllegalArgumentException e) {
      throw DeliveryException.permanent(e.getMessage());
    }
    if (OutboundMessage.REACTION.equals(out.kind())) {
      return List.of(() -> react(chat, out.replyToPlatformId(), out.text()));
    }
    RichReply rich;
    try {
      rich = RichReply.fromJson(out.rich());
    } catch (IllegalArgumentException e) {
      throw DeliveryException.permanent("the reply's rich parts are invalid: " + e.getMessage());
    }
    String markdown = out.text() == null ? "" : out.text();
    if (rich != null && rich.card() != null) {
      markdown = (markdown.isBlank() ? "" : markdown + "\n\n") + cardMarkdown(rich.card());
    }
    List<String> parts = new ArrayList<>(MessageFormatter.format(markdown, Dialect.TELEGRAM_HTML, MAX_LENGTH));
    InlineKeyboardMarkup keyboard = rich == null || rich.buttons().isEmpty() ? null : keyboard(rich.buttons());
    if (keyboard != null && parts.isEmpty()) {
      // Telegram shows buttons under a message only.
      parts.add("Choose:");
    }
    Integer replyTo = chat.isPrivate() ? null : messageId(out.replyToPlatformId());
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      Integer reply = i == 0 ? replyTo : null;
      InlineKeyboardMarkup markup = i == parts.size() - 1 ? keyboard : null;
      steps.add(() -> sendText(chat, part, reply, markup));
    }
    if (rich != null && rich.poll() != null) {
      RichReply.Poll poll = rich.poll();
      Integer reply = steps.isEmpty() ? replyTo : null;
      steps.add(() -> sendPoll(chat, poll, reply));
    }
    Path workspace = config.workspace(out.agentId()).toAbsolutePath().normalize();
    for (String file : out.files()) {
      Path path = inWorkspace(workspace, file);
      steps.add(() -> sendDocument(chat, workspace, path));
    }
    return steps;
  }

  void typing(String conversationId) {
    TelegramChat chat = TelegramChat.parse(conversationId);
    SendChatAction action = SendChatAction.builder().chatId(chat.chatIdText()).action("typing")
        .messageThreadId(chat.threadId()).build();
    api().call(action).onFailure(err -> log.debug("[telegram] sendChatAction in {} failed: {}", conversationId,
        TelegramErrors.describe(err)));
  }

  private Future<String> sendText(TelegramChat chat, String html, Integer replyTo, InlineKeyboardMarkup keyboard) {
    SendMessage message = message(chat, html, replyTo, keyboard).parseMode(ParseMode.HTML).build();
    return api().call(message).map(m -> String.valueOf(m.getMessageId())).recover(err -> {
      if (!TelegramErrors.cannotParseEntities(err)) {
        return Future.failedFuture(TelegramErrors.forDelivery("sendMessage", err));
      }
      // Our HTML should always parse; if Telegram disagrees, the words still get through, without markup.
      log.warn("[telegram] Telegram could not parse a part as HTML ({}); sending it as plain text",
          TelegramErrors.describe(err));
      SendMessage plain = message(chat, HtmlText.toPlain(html), replyTo, keyboard).build();
      return api().call(plain).map(m -> String.valueOf(m.getMessageId()))
          .recover(again -> Future.failedFuture(TelegramErrors.forDelivery("sendMessage", again)));
    });
  }

  private static SendMessage.SendMessageBuilder<?, ?> message(TelegramChat chat, String text, Integer replyTo,
      InlineKeyboardMarkup keyboard) {
    var builder = SendMessage.builder().chatId(chat.chatIdText()).text(text).messageThreadId(chat.threadId());
    if (replyTo != null) {
      builder.replyParameters(ReplyParameters.builder().messageId(replyTo).allowSendingWithoutReply(true).build());
    }
    if (keyboard != null) {
      builder.replyMarkup(keyboard);
    }
    return builder;
  }

  private Future<String> sendPoll(TelegramChat chat, RichReply.Poll poll, Integer replyTo) {
    var builder = SendPoll.builder().chatId(chat.chatIdText()).messageThreadId(chat.threadId()).question(poll.question())
        .options(poll.options().stream().map(InputPollOption::new).toList()).allowMultipleAnswers(poll.multiple());
    if (replyTo != null) {
      builder.replyParameters(ReplyParameters.builder().messageId(replyTo).allowSendingWithoutReply(true).build());
    }
    return api().call(builder.build()).map(m -> String.valueOf(m.getMessageId()))
        .recover(err -> Future.failedFuture(TelegramErrors.forDelivery("sendPoll", err)));
  }

  private Future<String> react(TelegramChat chat, String platformId, String emoji) {
    Integer messageId = messageId(platformId);
    if (messageId == null) {
      return Future.failedFuture(DeliveryException.permanent("nothing to react to on Telegram: " + platformId
          + " is not a message (a reaction needs the message a person sent)"));
    }
    SetMessageReaction reaction = SetMessageReaction.builder().chatId(chat.chatIdText()).messageId(messageId)
        .reactionTypes(List.of(new ReactionTypeEmoji(emoji))).build();
    return api().call(reaction).map(ok -> platformId)
        .recover(err -> Future.failedFuture(TelegramErrors.forDelivery("setMessageReaction", err)));
  }

  private Future<String> sendDocument(TelegramChat chat, Path workspace, Path path) {
    return vertx.executeBlocking(() -> checkedFile(workspace, path), false).compose(file -> {
      SendDocument document = SendDocument.builder().chatId(chat.chatIdText()).messageThreadId(chat.threadId())
          .document(new InputFile(file.toFile(), file.getFileName().toString())).build();
      return api().sendDocument(document).map(m -> String.valueOf(m.getMessageId()));
    }).recover(err -> Future.failedFuture(TelegramErrors.forDelivery("sendDocument", err)));
  }

  /** A workspace-relative path, checked without touching the disk (the plan runs on the event loop). */
  private static Path inWorkspace(Path workspace, String file) {
    Path relative;
    try {
      relative = Path.of(file);
    } catch (RuntimeException e) {
      throw DeliveryException.permanent("not a file path: " + file);
    }
    Path path = workspace.resolve(relative).normalize();
    if (relative.isAbsolute() || !path.startsWith(workspace) || path.equals(workspace)) {
      throw DeliveryException.permanent("cannot send " + file + ": files must be inside the agent's workspace");
    }
    return path;
  }

  /** The file as it really is on disk: a symlink out of the workspace is refused like a path out of it. */
  private static Path checkedFile(Path workspace, Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw DeliveryException.permanent("cannot send " + workspace.relativize(path) + ": no such file in the workspace");
    }
    Path real = path.toRealPath();
    if (!real.startsWith(workspace.toRealPath())) {
      throw DeliveryException.permanent("cannot send " + workspace.relativize(path)
          + ": it links to a file outside the agent's workspace");
    }
    long size = Files.size(real);
    if (size > MAX_UPLOAD_BYTES) {
      throw DeliveryException.permanent("cannot send " + workspace.relativize(path) + ": " + size
          + " bytes is more than Telegram's 50 MB limit for bots");
    }
    return real;
  }

  private static InlineKeyboardMarkup keyboard(List<RichReply.Button> buttons) {
    List<InlineKeyboardRow> rows = new ArrayList<>();
    InlineKeyboardRow row = new InlineKeyboardRow();
    int rowChars = 0;
    for (RichReply.Button b : buttons) {
      InlineKeyboardButton button = b.url() != null
          ? InlineKeyboardButton.builder().text(b.label()).url(b.url()).build()
          : InlineKeyboardButton.builder().text(b.label()).callbackData(callbackData(b.id())).build();
      if (!row.isEmpty() && (row.size() == ROW_BUTTONS || rowChars + b.label().length() > ROW_LABEL_CHARS)) {
        rows.add(row);
        row = new InlineKeyboardRow();
        rowChars = 0;
      }
      row.add(button);
      rowChars += b.label().length();
    }
    rows.add(row);
    return new InlineKeyboardMarkup(rows);
  }

  private static String callbackData(String id) {
    if (id.getBytes(StandardCharsets.UTF_8).length > CALLBACK_DATA_BYTES) {
      throw DeliveryException.permanent("button id \"" + id + "\" is longer than Telegram's 64 bytes");
    }
    return id;
  }

  static String cardMarkdown(RichReply.Card card) {
    StringBuilder md = new StringBuilder();
    if (card.title() != null) {
      md.append(card.url() != null ? "**[" + card.title() + "](" + card.url() + ")**" : "**" + card.title() + "**")
          .append("\n\n");
    }
    if (card.description() != null) {
      md.append(card.description()).append("\n\n");
    }
    for (RichReply.Field f : card.fields()) {
      md.append("- **").append(f.name()).append(":** ").append(f.value()).append('\n');
    }
    if (card.title() == null && card.url() != null) {
      md.append('\n').append(card.url()).append('\n');
    }
    return md.toString().strip();
  }

  /** Telegram message ids are integers; anything else ({@code cb:...} for a click) is not a message to reply to. */
  static Integer messageId(String platformId) {
    if (platformId == null || !platformId.matches("\\d{1,10}")) {
      return null;
    }
    long id = Long.parseLong(platformId);
    return id <= Integer.MAX_VALUE ? (int) id : null;
  }
}
