package ai.spacebot.messaging.discord;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.Attachment;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.ChannelType;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageDeleteEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.message.MessageUpdateEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do on Discord, as the adapter takes it in: messages (with their attachments saved to the agent's
 * workspace), edits and deletes, button clicks and our slash commands. JDA calls this on its own threads; the work
 * hops to the adapter's context at once. Interactions are acknowledged to Discord before anything else (it allows 3
 * seconds); messages need no acknowledgement.
 */
final class DiscordInbound extends ListenerAdapter {
  private static final Logger log = LoggerFactory.getLogger(DiscordInbound.class);
  /** The commands the channel answers itself (see its /help). */
  static final Set<String> COMMANDS = Set.of("help", "status", "whoami", "model", "active", "observe", "mention-only");

  /** Where inbound messages go: the adapter's submit and submitEdit. */
  interface Sink {
    /** @param receivedNanos when the event reached us ({@link System#nanoTime()}), for the adapter's timings */
    Future<Accepted> submit(InboundMessage message, long receivedNanos);

    Future<Void> submitEdit(MessageEdit edit);
  }

  private final Context context;
  private final DiscordNormaliser normaliser;
  private final Interactions interactions;
  private final Sink sink;
  private final Function<String, Path> workspace;
  private final long maxAttachmentBytes;
  private final DmChannels dms;

  DiscordInbound(Context context, DiscordNormaliser normaliser, Interactions interactions, DmChannels dms, Sink sink,
      Function<String, Path> workspace, long maxAttachmentBytes) {
    this.dms = dms;
    this.context = context;
    this.normaliser = normaliser;
    this.interactions = interactions;
    this.sink = sink;
    this.workspace = workspace;
    this.maxAttachmentBytes = maxAttachmentBytes;
  }

  @Override
  public void onMessageReceived(MessageReceivedEvent event) {
    long received = System.nanoTime();
    Message message = event.getMessage();
    IncomingMessage m = JdaViews.message(message);
    String self = event.getJDA().getSelfUser().getId();
    String ignored = normaliser.ignoreReason(m, self);
    if (ignored != null) {
      log.debug("[discord] Ignoring message {} in {}: {}", m.messageId(), m.channelId(), ignored);
      return;
    }
    if (m.direct()) {
      dms.remember(m.authorId(), event.getChannel().asPrivateChannel());
    }
    List<Message.Attachment> files = message.getAttachments();
    context.runOnContext(v -> attachments(m, files)
        .compose(saved -> sink.submit(normaliser.toInbound(m, self, saved), received))
        .onFailure(err -> log.warn("[discord] Message {} of {} was not taken in: {}", m.messageId(),
            DiscordNormaliser.conversationId(m), err.getMessage())));
  }

  @Override
  public void onMessageUpdate(MessageUpdateEvent event) {
    IncomingMessage m = JdaViews.message(event.getMessage());
    String self = event.getJDA().getSelfUser().getId();
    if (normaliser.ignoreReason(m, self) != null) {
      return;
    }
    MessageEdit edit = new MessageEdit(DiscordNormaliser.PLATFORM, DiscordNormaliser.conversationId(m), m.messageId(),
        DiscordNormaliser.stripMention(m.content(), self), false, m.timestamp());
    context.runOnContext(v -> sink.submitEdit(edit).onFailure(err -> log.warn(
        "[discord] Edit of {} was not recorded: {}", m.messageId(), err.getMessage())));
  }

  @Override
  public void onMessageDelete(MessageDeleteEvent event) {
    String conversation;
    if (event.getChannelType() == ChannelType.PRIVATE) {
      String user = dms.user(event.getChannel().getId());
      if (user == null) {
        return;
      }
      conversation = DiscordNormaliser.PLATFORM + ":dm:" + user;
    } else {
      JdaViews.Place p = JdaViews.place(event.getChannel(), event.getGuild().getId());
      conversation = DiscordNormaliser.PLATFORM + ":" + p.guildId() + ":" + p.channelId()
          + (p.threadId() == null ? "" : ":" + p.threadId());
    }
    MessageEdit edit = new MessageEdit(DiscordNormaliser.PLATFORM, conversation, event.getMessageId(), null, true,
        System.currentTimeMillis());
    context.runOnContext(v -> sink.submitEdit(edit).onFailure(err -> log.warn(
        "[discord] Delete of {} was not recorded: {}", event.getMessageId(), err.getMessage())));
  }

  @Override
  public void onButtonInteraction(ButtonInteractionEvent event) {
    long received = System.nanoTime();
    // Acknowledged first: Discord shows the click as failed after 3 s without an answer.
    event.deferEdit().queue(null, err -> log.warn("[discord] Could not acknowledge a click: {}", err.getMessage()));
    String id = DiscordNormaliser.interactionId(event.getId());
    String self = event.getJDA().getSelfUser().getId();
    String label = event.getButton().getLabel();
    IncomingMessage m = JdaViews.interaction(id, event.getChannel(), event.isFromGuild() ? event.getGuild().getId()
        : null, event.getUser(), event.getMember(), DiscordNormaliser.buttonText(label, event.getComponentId(),
        event.getMessageId()), event.getTimeCreated().toInstant().toEpochMilli(), self);
    String ignored = normaliser.ignoreReason(m, self);
    if (ignored != null) {
      log.debug("[discord] Ignoring click {}: {}", id, ignored);
      return;
    }
    interactions.click(id, event.getMessageId());
    context.runOnContext(v -> sink.submit(normaliser.toInbound(m, self, List.of()), received)
        .onFailure(err -> log.warn("[discord] Click {} was not taken in: {}", id, err.getMessage())));
  }

  @Override
  public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
    long received = System.nanoTime();
    if (!COMMANDS.contains(event.getName())) {
      return;
    }
    event.deferReply().queue(null, err -> log.warn("[discord] Could not acknowledge /{}: {}", event.getName(),
        err.getMessage()));
    String id = DiscordNormaliser.interactionId(event.getId());
    String self = event.getJDA().getSelfUser().getId();
    List<String> options = event.getOptions().stream().map(OptionMapping::getAsString).toList();
    IncomingMessage m = JdaViews.interaction(id, event.getChannel(), event.isFromGuild() ? event.getGuild().getId()
        : null, event.getUser(), event.getMember(), DiscordNormaliser.commandText(event.getName(), options),
        event.getTimeCreated().toInstant().toEpochMilli(), self);
    String ignored = normaliser.ignoreReason(m, self);
    if (ignored != null) {
      event.getHook().editOriginal("I do not answer here.").queue(null, err -> { });
      return;
    }
    interactions.command(id, event.getHook());
    context.runOnContext(v -> sink.submit(normaliser.toInbound(m, self, List.of()), received)
        .onFailure(err -> log.warn("[discord] /{} was not taken in: {}", event.getName(), err.getMessage())));
  }

  /** Saves the message's files into the agent's workspace; a file that cannot be saved says why instead. */
  private Future<List<Attachment>> attachments(IncomingMessage m, List<Message.Attachment> files) {
    if (files.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Path root = workspace.apply(normaliser.agentFor(m));
    List<Future<Attachment>> saved = new ArrayList<>();
    for (Message.Attachment a : files) {
      saved.add(save(m, a, root));
    }
    return Future.join(saved).transform(ar -> Future.succeededFuture(saved.stream().map(Future::result).toList()));
  }

  private Future<Attachment> save(IncomingMessage m, Message.Attachment a, Path root) {
    String type = a.getContentType();
    long size = a.getSize();
    if (maxAttachmentBytes <= 0 || size > maxAttachmentBytes) {
      return Future.succeededFuture(new Attachment(a.getFileName(), type, size, null,
          "not downloaded: " + size + " bytes is over the limit of " + maxAttachmentBytes
              + " (messaging.discord.max_attachment_bytes)"));
    }
    String relative = DiscordNormaliser.attachmentPath(m, a.getFileName());
    Path target = root.resolve(relative);
    return context.owner().<java.util.concurrent.CompletableFuture<Path>>executeBlocking(() -> {
      Files.createDirectories(target.getParent());
      return a.getProxy().downloadToPath(target);
    }).compose(cf -> Future.fromCompletionStage(cf, context))
        .map(p -> new Attachment(a.getFileName(), type, size, relative, null))
        .otherwise(err -> new Attachment(a.getFileName(), type, size, null, "could not be downloaded from Discord: "
            + DiscordErrors.unwrap(err).getMessage()));
  }
}
