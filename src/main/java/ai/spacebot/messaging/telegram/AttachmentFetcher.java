package ai.spacebot.messaging.telegram;

import ai.spacebot.bus.Attachment;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.GetFile;

/**
 * Fetches the files of a message into the agent's workspace ({@code attachments/telegram/<chat>/<message>-<name>}),
 * where the channel and the agent's tools find them. A file that is too large or cannot be fetched still becomes an
 * {@link Attachment}, with the reason, so the agent can say what it could not see instead of ignoring it.
 */
final class AttachmentFetcher {
  private static final Logger log = LoggerFactory.getLogger(AttachmentFetcher.class);
  private static final int MAX_NAME = 100;

  private final TelegramApi api;
  private final SpacebotConfig config;
  private final long maxBytes;

  AttachmentFetcher(TelegramApi api, SpacebotConfig config, long maxBytes) {
    this.api = api;
    this.config = config;
    this.maxBytes = maxBytes;
  }

  Future<InboundMessage> attach(Normalised.Inbound inbound) {
    InboundMessage m = inbound.message();
    if (inbound.files().isEmpty()) {
      return Future.succeededFuture(m);
    }
    List<Attachment> attachments = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Normalised.FileRef file : inbound.files()) {
      chain = chain.compose(v -> fetch(m, file).map(a -> {
        attachments.add(a);
        return null;
      }));
    }
    return chain.map(v -> new InboundMessage(m.id(), m.agentId(), m.platform(), m.conversationId(), m.senderId(),
        m.senderName(), m.text(), m.timestamp(), m.platformMessageId(), m.metadata(), m.addressing(), m.replyTo(),
        attachments).withConversationName(m.conversationName()));
  }

  private Future<Attachment> fetch(InboundMessage m, Normalised.FileRef file) {
    if (file.size() > maxBytes) {
      return Future.succeededFuture(tooLarge(file, file.size()));
    }
    String relative = "attachments/telegram/" + TelegramChat.parse(m.conversationId()).chatIdText() + "/"
        + m.platformMessageId() + "-" + safeName(file.name());
    Path target = config.workspace(m.agentId()).resolve(relative);
    return api.call(new GetFile(file.fileId())).compose(f -> {
      if (f.getFileSize() != null && f.getFileSize() > maxBytes) {
        return Future.succeededFuture(tooLarge(file, f.getFileSize()));
      }
      if (f.getFilePath() == null) {
        return Future.succeededFuture(failed(file, "Telegram gave no download path"));
      }
      return api.download(f.getFilePath(), target, maxBytes)
          .map(bytes -> new Attachment(file.name(), file.mimeType(), bytes, relative, null));
    }).recover(err -> {
      if (err instanceof TelegramApi.TooLarge) {
        return Future.succeededFuture(new Attachment(file.name(), file.mimeType(), file.size(), null,
            err.getMessage()));
      }
      log.warn("[telegram] Could not download {} of message {} in {}: {}", file.name(), m.platformMessageId(),
          m.conversationId(), TelegramErrors.describe(err));
      return Future.succeededFuture(failed(file, TelegramErrors.describe(err)));
    });
  }

  private Attachment tooLarge(Normalised.FileRef file, long size) {
    return new Attachment(file.name(), file.mimeType(), size, null, size + " bytes is larger than the limit of "
        + maxBytes + " bytes (messaging.telegram.max_attachment_bytes)");
  }

  private static Attachment failed(Normalised.FileRef file, String why) {
    return new Attachment(file.name(), file.mimeType(), file.size(), null, why);
  }

  /** A name that stays one path segment on every file system: no separators, no leading dots, bounded. */
  static String safeName(String name) {
    String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
    if (safe.isEmpty()) {
      safe = "file";
    }
    return safe.length() <= MAX_NAME ? safe : safe.substring(safe.length() - MAX_NAME);
  }
}
