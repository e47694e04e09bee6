package ai.spacebot.messaging.telegram;

import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import java.util.List;

/** What one Telegram update means to Spacebot ({@link UpdateNormaliser}). */
sealed interface Normalised {
  /** Nothing for the agent: a filtered chat, our own message, another bot's command, a service message. */
  record Ignored(String why) implements Normalised {}

  /** A message to store; {@code files} are still to be fetched into the workspace and attached. */
  record Inbound(InboundMessage message, List<FileRef> files) implements Normalised {
    public Inbound {
      files = List.copyOf(files);
    }
  }

  /** A person edited a message they sent. */
  record Edit(MessageEdit edit) implements Normalised {}

  /** A button click: answered to Telegram at once ({@code callbackQueryId}), then stored as a message. */
  record Click(InboundMessage message, String callbackQueryId) implements Normalised {}

  /** A file Telegram holds for a message (photo, document, voice, audio, video). */
  record FileRef(String fileId, String name, String mimeType, long size) {}
}
