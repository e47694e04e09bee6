package ai.spacebot.messaging.discord;

import ai.spacebot.bus.DeliveryReceipt;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.RichReply;
import ai.spacebot.messaging.AdapterVerticle.Step;
import ai.spacebot.messaging.DeliveryException;
import ai.spacebot.messaging.WorkspaceFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.attribute.IThreadContainer;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an outbound message into Discord calls, one {@link Step} each: the thread to open, the parts of the text in
 * order (the first replying to the triggering message in a guild), a poll, the files. A slash command's answer goes
 * through its interaction hook instead. Each call has a time budget inside the outbox's: a request JDA is still
 * holding back for a rate limit is given up (never sent later) and reported with the wait Discord asked for.
 */
final class DiscordSender {
  private static final Logger log = LoggerFactory.getLogger(DiscordSender.class);
  /** One call's longest wait, rate-limit waits included. */
  static final long STEP_TIMEOUT_MS = 20_000;
  /** All steps of one attempt; well inside the outbox's 60 s bus timeout, so it never retries an attempt still running. */
  static final long ATTEMPT_BUDGET_MS = 45_000;
  static final int THREAD_NAME_MAX = 100;
  static final int FILES_PER_MESSAGE = 10;

  private final Vertx vertx;
  private final Context context;
  private final Supplier<DiscordConnection> connection;
  private final Interactions interactions;
  private final DmChannels dms;
  private final RateLimitWatch limits;
  private final Function<String, Path> workspace;
  private final Function<String, List<String>> format;

  DiscordSender(Context context, Supplier<DiscordConnection> connection, Interactions interactions, DmChannels dms,
      RateLimitWatch limits, Function<String, Path> workspace, Function<String, List<String>> format) {
    this.dms = dms;
    this.vertx = context.owner();
    this.context = context;
    this.connection = connection;
    this.interactions = interactions;
    this.limits = limits;
    this.workspace = workspace;
    this.format = format;
  }

  List<Step> plan(OutboundMessage out) {
    DiscordTarget target = DiscordTarget.parse(out.conversationId());
    long deadline = System.currentTimeMillis() + ATTEMPT_BUDGET_MS;
    Interactions.Pending ix = interactions.find(out.replyToPlatformId());
    // A click's answer replies to the clicked message; a command has no message of its own to reply to.
    String replyTo = Interactions.isInteraction(out.replyToPlatformId()) ? (ix == null ? null : ix.messageId())
        : out.replyToPlatformId();
    if (OutboundMessage.REACTION.equals(out.kind())) {
      return List.of(() -> react(target, replyTo, out.text(), deadline));
    }
    RichReply rich;
    try {
      rich = RichReply.fromJson(out.rich());
    } catch (IllegalArgumentException e) {
      throw DeliveryException.permanent("the reply's card, buttons or poll are not valid: " + e.getMessage());
    }
    DiscordRenderer.Rendered rendered = DiscordRenderer.render(out.text(), rich, format);
    List<Path> files = files(out);
    InteractionHook hook = ix == null ? null : ix.hook();
    boolean editsOriginal = hook != null
        && ix.editsOriginal(out.idempotencyKey() != null ? out.idempotencyKey() : out.id());
    boolean openThread = hook == null && !target.direct() && target.threadId() == null && out.threadName() != null
        && !out.threadName().isBlank();
    // Where the parts go: the thread the first step opens (read back from an earlier attempt), else the conversation.
    AtomicReference<String> postIn = new AtomicReference<>(openThread && !out.deliveredParts().isEmpty()
        ? out.deliveredParts().get(0).replace(DeliveryReceipt.NOT_A_MESSAGE, "") : target.postChannel());
    List<Step> steps = new ArrayList<>();
    if (openThread) {
      String name = DiscordRenderer.cut(out.threadName().strip(), THREAD_NAME_MAX);
      // A thread opened on a message has that message's id: reported as not a message, so the reply is not
      // recorded under the id of the person's message it answers.
      steps.add(() -> openThread(target, name, replyTo, deadline).onSuccess(postIn::set)
          .map(id -> DeliveryReceipt.NOT_A_MESSAGE + id));
    }
    List<MessageCreateData> parts = rendered.parts();
    for (int i = 0; i < parts.size(); i++) {
      MessageCreateData part = parts.get(i);
      boolean first = i == 0;
      String reference = first && !openThread && !target.direct() ? replyTo : null;
      if (hook != null) {
        steps.add(() -> first && editsOriginal ? call(hook.editOriginal(MessageEditData.fromCreateData(part)),
            Message::getId,
            "answer the command", null, deadline) : call(hook.sendMessage(part), Message::getId,
            "answer the command", null, deadline));
      } else {
        String nonce = nonce(out, steps.size());
        steps.add(() -> post(target, postIn.get(), part, reference, deadline, nonce));
      }
    }
    if (rendered.poll() != null) {
      MessageCreateData poll = new MessageCreateBuilder().setPoll(rendered.poll()).build();
      String nonce = nonce(out, steps.size());
      steps.add(() -> hook != null ? call(hook.sendMessage(poll), Message::getId, "post a poll", null, deadline)
          : post(target, postIn.get(), poll, null, deadline, nonce));
    }
    for (int from = 0; from < files.size(); from += FILES_PER_MESSAGE) {
      List<Path> batch = files.subList(from, Math.min(files.size(), from + FILES_PER_MESSAGE));
      Path root = workspace.apply(out.agentId());
      String nonce = nonce(out, steps.size());
      steps.add(() -> uploads(root, batch).compose(uploads -> hook != null
          ? call(hook.sendFiles(uploads), Message::getId, "send files", null, deadline)
          : post(target, postIn.get(), new MessageCreateBuilder().setFiles(uploads).build(), null, deadline,
              nonce)));
    }
    return steps;
  }

  /** Shows "typing…" once; failures only logged (the next refresh tries again). */
  void typing(String conversationId) {
    DiscordConnection c = connection.get();
    if (c == null) {
      return;
    }
    try {
      DiscordTarget t = DiscordTarget.parse(conversationId);
      RestAction<Void> action;
      if (t.direct()) {
        action = dms.in(c, t.dmUserId(), PrivateChannel::sendTyping);
      } else {
        GuildMessageChannel channel = c.channel(t.postChannel());
        if (channel == null) {
          return;
        }
        action = channel.sendTyping();
      }
      action.queue(null, err -> log.debug("[discord] Typing in {} failed: {}", conversationId, err.getMessage()));
    } catch (RuntimeException e) {
      log.debug("[discord] Typing in {} failed: {}", conversationId, e.getMessage());
    }
  }

  /**
   * The nonce of one step of one outbound message: the same on every attempt. JDA sends it with
   * {@code enforce_nonce}, so when Discord created the message but the answer was lost (a timeout, a dropped
   * connection, a 5xx from a proxy), the retry gets the message Discord already made instead of a second copy.
   * Discord keeps nonces for a few minutes and takes at most 25 characters.
   */
  static String nonce(OutboundMessage out, int step) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(((out.idempotencyKey() != null ? out.idempotencyKey() : out.id()) + "#" + step).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 25);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Future<String> post(DiscordTarget target, String channelId, MessageCreateData data, String reference,
      long deadline, String nonce) {
    DiscordConnection c = connection.get();
    if (c == null) {
      return Future.failedFuture(DeliveryException.transientFailure("discord is not connected"));
    }
    if (target.direct()) {
      return call(dms.in(c, target.dmUserId(), ch -> ch.sendMessage(data).setNonce(nonce)), Message::getId,
          "send a message",
          null, deadline);
    }
    GuildMessageChannel channel = c.channel(channelId);
    if (channel == null) {
      return Future.failedFuture(unknownChannel(channelId));
    }
    MessageCreateAction action = channel.sendMessage(data).setNonce(nonce);
    if (DiscordTarget.snowflake(reference)) {
      // The reply still goes out if the message it answers was deleted meanwhile.
      action = action.setMessageReference(reference).failOnInvalidReply(false);
    }
    return call(action, Message::getId, "send a message", channelId, deadline);
  }

  private Future<String> openThread(DiscordTarget target, String name, String fromMessage, long deadline) {
    DiscordConnection c = connection.get();
    if (c == null) {
      return Future.failedFuture(DeliveryException.transientFailure("discord is not connected"));
    }
    GuildMessageChannel channel = c.channel(target.channelId());
    if (channel == null) {
      return Future.failedFuture(unknownChannel(target.channelId()));
    }
    if (!(channel instanceof IThreadContainer container)) {
      // This kind of channel has no threads: the reply goes to the channel itself.
      return Future.succeededFuture(channel.getId());
    }
    if (!DiscordTarget.snowflake(fromMessage)) {
      return call(container.createThreadChannel(name), ThreadChannel::getId, "open a thread", target.channelId(),
          deadline);
    }
    // The message to hang the thread on may be gone by now: then a thread of its own in the channel.
    RestAction<ThreadChannel> open = container.createThreadChannel(name, fromMessage)
        .onErrorFlatMap(ErrorResponse.UNKNOWN_MESSAGE::test, err -> container.createThreadChannel(name));
    return call(open, ThreadChannel::getId, "open a thread", target.channelId(), deadline);
  }

  private Future<String> react(DiscordTarget target, String messageId, String emoji, long deadline) {
    if (!DiscordTarget.snowflake(messageId)) {
      log.info("[discord] Reaction {} in {} has no message to go on; skipped", emoji, target);
      return Future.succeededFuture("");
    }
    DiscordConnection c = connection.get();
    if (c == null) {
      return Future.failedFuture(DeliveryException.transientFailure("discord is not connected"));
    }
    Emoji e = Emoji.fromFormatted(emoji.strip());
    if (target.direct()) {
      return call(dms.in(c, target.dmUserId(), ch -> ch.addReactionById(messageId, e)), v -> messageId,
          "add a reaction", null, deadline);
    }
    GuildMessageChannel channel = c.channel(target.postChannel());
    if (channel == null) {
      return Future.failedFuture(unknownChannel(target.postChannel()));
    }
    return call(channel.addReactionById(messageId, e), v -> messageId, "add a reaction", target.postChannel(),
        deadline);
  }

  /** Files to send, each inside the agent's workspace (checked again, symlinks resolved, when they are read). */
  private List<Path> files(OutboundMessage out) {
    return out.files().isEmpty() ? List.of() : WorkspaceFiles.resolve(workspace.apply(out.agentId()), out.files());
  }

  private Future<List<FileUpload>> uploads(Path root, List<Path> files) {
    return vertx.executeBlocking(() -> {
      Path realRoot = root.toRealPath();
      List<FileUpload> uploads = new ArrayList<>();
      for (Path p : files) {
        Path real;
        try {
          real = p.toRealPath();
        } catch (NoSuchFileException e) {
          throw DeliveryException.permanent("there is no file " + root.relativize(p) + " in the workspace");
        }
        if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
          throw DeliveryException.permanent(root.relativize(p) + " is not a file inside the agent's workspace");
        }
        uploads.add(FileUpload.fromData(real, DiscordNormaliser.safeName(real.getFileName().toString())));
      }
      return uploads;
    }, false);
  }

  /**
   * Runs one call with its time budget and maps how it ended. JDA holds a rate-limited request until its bucket
   * resets; past the budget the request is cancelled (so it can never go out later, after the outbox has moved on)
   * and the failure carries the wait Discord asked for.
   */
  private <T> Future<String> call(RestAction<T> action, Function<T, String> id, String what, String channelId,
      long deadline) {
    long budget = Math.min(STEP_TIMEOUT_MS, deadline - System.currentTimeMillis());
    if (budget <= 0) {
      return Future.failedFuture(DeliveryException.transientFailure(
          "this attempt ran out of time; the rest goes out on the next one"));
    }
    CompletableFuture<T> future;
    try {
      future = action.timeout(budget, TimeUnit.MILLISECONDS).submit();
    } catch (RuntimeException e) {
      return Future.failedFuture(DiscordErrors.map(e, what));
    }
    Promise<String> result = Promise.promise();
    long timer = vertx.setTimer(budget + 500, t -> {
      result.tryFail(waited(channelId, what, budget));
      future.cancel(false);
    });
    Future.fromCompletionStage(future, context).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(id.apply(ar.result()));
      } else if (DiscordErrors.unwrap(ar.cause()) instanceof TimeoutException) {
        result.tryFail(waited(channelId, what, budget));
      } else {
        result.tryFail(DiscordErrors.map(ar.cause(), what));
      }
    });
    return result.future();
  }

  private DeliveryException waited(String channelId, String what, long budget) {
    long wait = limits.waitMillis(channelId);
    if (wait > 0) {
      return DeliveryException.rateLimited("Discord rate-limited " + what + "; it asked to wait " + (wait + 999) / 1000
          + " s more", wait);
    }
    return DeliveryException.transientFailure("Discord did not answer within " + budget / 1000 + " s to " + what);
  }

  private static DeliveryException unknownChannel(String channelId) {
    return DeliveryException.permanent("the bot cannot see Discord channel " + channelId
        + " (not in its servers, deleted, or no View Channel permission)");
  }
}
