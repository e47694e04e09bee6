package ai.spacebot.messaging.slack;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.event.MessageBotEvent;
import com.slack.api.model.event.MessageChangedEvent;
import com.slack.api.model.event.MessageDeletedEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.event.MessageThreadBroadcastEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do on Slack, as Bolt hands it over (from Socket Mode or the Events API alike): messages and app
 * mentions, button clicks and {@code /spacebot} commands. A message is stored ({@link Sink#submit}) before Bolt
 * acknowledges it, so Slack redelivers what we could not keep; a click or a command is acknowledged at once (Slack
 * shows an error after 3 s) and then taken in. Slack sends a mention in a channel twice, as {@code message} and as
 * {@code app_mention}, with the same channel and {@code ts}: that is our platform message id, so the store keeps
 * one and makes one turn; Slack's retries of an event are the same.
 */
final class SlackInbound {
  private static final Logger log = LoggerFactory.getLogger(SlackInbound.class);
  /** Slack wants an answer within 3 s; what is not stored by then is refused, and Slack sends it again. */
  static final long STORE_WAIT_MS = 2500;
  static final String COMMAND = "/spacebot";

  /** Where inbound messages go: the adapter's submit. */
  interface Sink {
    Future<Accepted> submit(InboundMessage message, long receivedNanos);

    Future<Void> submitEdit(MessageEdit edit);
  }

  /** Who the bot is: {@code auth.test}'s user and bot ids. */
  record Self(String userId, String botId, String teamId) {}

  private final Context context;
  private final SlackNormaliser normaliser;
  private final Interactions interactions;
  private final UserNames names;
  private final Sink sink;
  private final Self self;
  private final java.util.function.BiConsumer<String, String> lastMessage;

  /** @param lastMessage told each kept message's conversation and platform id (for the typing reaction) */
  SlackInbound(Context context, SlackNormaliser normaliser, Interactions interactions, UserNames names, Self self,
      Sink sink, java.util.function.BiConsumer<String, String> lastMessage) {
    this.context = context;
    this.normaliser = normaliser;
    this.interactions = interactions;
    this.names = names;
    this.self = self;
    this.sink = sink;
    this.lastMessage = lastMessage;
  }

  void register(App app) {
    app.event(MessageEvent.class, (req, ctx) -> message(req, of(req, req.getEvent()), false, ctx.ack()));
    app.event(AppMentionEvent.class, (req, ctx) -> message(req, of(req, req.getEvent()), true, ctx.ack()));
    app.event(MessageFileShareEvent.class, (req, ctx) -> {
      MessageFileShareEvent e = req.getEvent();
      return message(req, new SlackMessage(team(req, null), e.getChannel(), e.getChannelType(), e.getUser(),
          e.getText(), e.getTs(), e.getThreadTs(), null, null), false, ctx.ack());
    });
    app.event(MessageThreadBroadcastEvent.class, (req, ctx) -> {
      MessageThreadBroadcastEvent e = req.getEvent();
      return message(req, new SlackMessage(team(req, null), e.getChannel(), e.getChannelType(), e.getUser(),
          e.getText(), e.getTs(), e.getThreadTs(), null, null), false, ctx.ack());
    });
    // Other bots' messages are acknowledged without a turn (ignore_bots); edits and deletes update the transcript.
    app.event(MessageBotEvent.class, (req, ctx) -> ctx.ack());
    app.event(MessageChangedEvent.class, (req, ctx) -> {
      MessageChangedEvent e = req.getEvent();
      MessageChangedEvent.Message m = e.getMessage();
      if (m != null && m.getTs() != null) {
        edit(new SlackMessage(team(req, m.getTeam()), e.getChannel(), e.getChannelType(), m.getUser(), m.getText(),
            m.getTs(), m.getThreadTs(), m.getBotId(), null), false);
      }
      return ctx.ack();
    });
    app.event(MessageDeletedEvent.class, (req, ctx) -> {
      MessageDeletedEvent e = req.getEvent();
      MessageDeletedEvent.Message m = e.getPreviousMessage();
      if (e.getDeletedTs() != null) {
        edit(new SlackMessage(team(req, null), e.getChannel(), e.getChannelType(), m == null ? null : m.getUser(),
            null, e.getDeletedTs(), m == null ? null : m.getThreadTs(), null, null), true);
      }
      return ctx.ack();
    });
    app.blockAction(Pattern.compile(".*"), (req, ctx) -> {
      click(req.getPayload());
      return ctx.ack();
    });
    app.command(COMMAND, (req, ctx) -> {
      command(req.getPayload());
      return ctx.ack();
    });
  }

  private static SlackMessage of(EventsApiPayload<?> req, MessageEvent e) {
    return new SlackMessage(team(req, e.getTeam()), e.getChannel(), e.getChannelType(), e.getUser(), e.getText(),
        e.getTs(), e.getThreadTs(), e.getBotId(), null);
  }

  private static SlackMessage of(EventsApiPayload<?> req, AppMentionEvent e) {
    return new SlackMessage(team(req, e.getTeam()), e.getChannel(), null, e.getUser(), e.getText(), e.getTs(),
        e.getThreadTs(), e.getBotId(), e.getSubtype());
  }

  private static String team(EventsApiPayload<?> req, String eventTeam) {
    return req.getTeamId() != null ? req.getTeamId() : eventTeam;
  }

  /** Stores the message, then acks; a message that could not be stored in time is refused so Slack resends it. */
  private Response message(EventsApiPayload<?> req, SlackMessage m, boolean mention, Response ack) {
    long received = System.nanoTime();
    String ignored = normaliser.ignoreReason(m, self.userId(), self.botId());
    if (ignored != null) {
      log.debug("[slack] Ignoring message {} in {}: {}", m.ts(), m.channelId(), ignored);
      return ack;
    }
    String name = names.name(m.userId());
    InboundMessage inbound = normaliser.toInbound(m, self.userId(), name, mention)
        .withConversationName(m.direct() ? "DM with " + name : names.channel(m.channelId()));
    Future<Accepted> stored = onContext(v -> sink.submit(inbound, received));
    try {
      Accepted accepted = stored.toCompletionStage().toCompletableFuture().get(STORE_WAIT_MS, TimeUnit.MILLISECONDS);
      if (!accepted.duplicate()) {
        lastMessage.accept(inbound.conversationId(), inbound.platformMessageId());
      }
      return ack;
    } catch (Exception e) {
      log.warn("[slack] Message {} of {} was not stored in time ({}); Slack will send it again", m.ts(),
          inbound.conversationId(), SlackErrors.describe(SlackErrors.unwrap(e)));
      return Response.builder().statusCode(503).contentType("application/json")
          .body("{\"error\":\"not stored yet; please retry\"}").build();
    }
  }

  private void edit(SlackMessage m, boolean deleted) {
    if (m.userId() != null && m.userId().equals(self.userId())) {
      return;
    }
    MessageEdit edit = new MessageEdit(SlackNormaliser.PLATFORM, SlackNormaliser.conversationId(m),
        SlackTarget.messageId(m.channelId(), m.ts()), deleted ? null : SlackNormaliser.stripMention(m.text(),
        self.userId()), deleted, System.currentTimeMillis());
    onContext(v -> sink.submitEdit(edit)).onFailure(err -> log.warn("[slack] {} of {} was not recorded: {}",
        deleted ? "Delete" : "Edit", m.ts(), err.getMessage()));
  }

  private void click(BlockActionPayload p) {
    long received = System.nanoTime();
    if (p.getActions() == null || p.getActions().isEmpty() || p.getChannel() == null) {
      return;
    }
    BlockActionPayload.Action action = p.getActions().get(0);
    if (action.getActionId() != null && action.getActionId().startsWith(SlackBlocks.LINK)) {
      return;
    }
    BlockActionPayload.Container c = p.getContainer();
    String messageTs = c != null && c.getMessageTs() != null ? c.getMessageTs()
        : p.getMessage() != null ? p.getMessage().getTs() : null;
    String threadTs = c != null && c.getThreadTs() != null ? c.getThreadTs()
        : p.getMessage() != null ? p.getMessage().getThreadTs() : null;
    String channel = p.getChannel().getId();
    String team = p.getTeam() != null ? p.getTeam().getId() : self.teamId();
    String label = action.getText() != null ? action.getText().getText() : action.getValue();
    // The click belongs to the conversation the clicked message is in: its thread, or the channel.
    SlackMessage m = new SlackMessage(team, channel, channel.startsWith("D") ? "im" : null, p.getUser().getId(),
        SlackNormaliser.buttonText(String.valueOf(label), action.getActionId(), messageTs),
        action.getActionTs() != null ? action.getActionTs() : messageTs, threadTs, null, null);
    String ignored = normaliser.ignoreReason(m, self.userId(), self.botId());
    if (ignored != null) {
      log.debug("[slack] Ignoring click in {}: {}", channel, ignored);
      return;
    }
    String id = "ix:" + channel + ":" + (action.getActionTs() != null ? action.getActionTs() : UUID.randomUUID());
    boolean inThread = threadTs != null && !threadTs.equals(m.ts());
    interactions.put(id, channel, inThread ? threadTs : normaliser.replyInThread(m) ? messageTs : null,
        p.getUser().getId(), false);
    InboundMessage inbound = withId(normaliser.toInbound(m, self.userId(), names.name(m.userId()), true), id,
        SlackBlocks.conversationOf(action.getBlockId()));
    onContext(v -> sink.submit(inbound, received))
        .onFailure(err -> log.warn("[slack] Click {} was not taken in: {}", id, err.getMessage()));
  }

  private void command(SlashCommandPayload p) {
    long received = System.nanoTime();
    String channel = p.getChannelId();
    String ts = String.format("%d.%06d", System.currentTimeMillis() / 1000, (System.nanoTime() / 1000) % 1_000_000);
    SlackMessage m = new SlackMessage(p.getTeamId(), channel, channel != null && channel.startsWith("D") ? "im" : null,
        p.getUserId(), SlackNormaliser.commandText(p.getText()), ts, null, null, null);
    String ignored = normaliser.ignoreReason(m, self.userId(), self.botId());
    if (ignored != null) {
      log.debug("[slack] Ignoring {} in {}: {}", COMMAND, channel, ignored);
      return;
    }
    String id = "cmd:" + (p.getTriggerId() != null ? p.getTriggerId() : UUID.randomUUID());
    interactions.put(id, channel, null, p.getUserId(), true);
    InboundMessage inbound = withId(normaliser.toInbound(m, self.userId(), p.getUserName(), true), id, null);
    onContext(v -> sink.submit(inbound, received))
        .onFailure(err -> log.warn("[slack] {} was not taken in: {}", COMMAND, err.getMessage()));
  }

  /** @param conversation the conversation the clicked buttons were posted for, if it is of this channel */
  private static InboundMessage withId(InboundMessage m, String platformId, String conversation) {
    String channel = m.metadata().getString("channel_id");
    boolean same = conversation != null && (conversation.endsWith(":" + channel) || conversation.contains(":" + channel
        + ":"));
    return new InboundMessage(m.id(), m.agentId(), m.platform(), same ? conversation : m.conversationId(),
        m.senderId(), m.senderName(),
        m.text(), m.timestamp(), platformId, m.metadata(), m.addressing(), m.replyTo(), m.attachments())
        .withConversationName(m.conversationName());
  }

  private <T> Future<T> onContext(Function<Void, Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.apply(null).onComplete(done));
    return done.future();
  }
}
