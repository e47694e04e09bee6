package ai.spacebot.messaging.slack;

import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.bus.RichReply;
import ai.spacebot.config.SlackConfig;
import ai.spacebot.messaging.AdapterVerticle.Step;
import ai.spacebot.messaging.DeliveryException;
import ai.spacebot.messaging.WorkspaceFiles;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an outbound message into Slack Web API calls, one {@link Step} each: the parts of the text
 * ({@code chat.postMessage}, in the thread the conversation or the triggering message says), the rich parts as one
 * Block Kit message, the files ({@code files.uploadV2}); a slash command's answer goes to its person only
 * ({@code chat.postEphemeral}); a reaction is {@code reactions.add} (or {@code reactions.remove} for {@code -name}).
 * Posts are paced per channel ({@link PostPacer}); a 429 is reported with Slack's {@code Retry-After}.
 */
final class SlackSender {
  private static final Logger log = LoggerFactory.getLogger(SlackSender.class);
  /** A post that would wait longer than this for its slot is handed back to the outbox to retry then. */
  static final long MAX_PACING_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final SlackConfig config;
  private final Supplier<MethodsClient> client;
  private final Interactions interactions;
  private final PostPacer pacer;
  private final Function<String, Path> workspace;
  private final Function<String, List<String>> format;

  SlackSender(Vertx vertx, SlackConfig config, Supplier<MethodsClient> client, Interactions interactions,
      PostPacer pacer, Function<String, Path> workspace, Function<String, List<String>> format) {
    this.vertx = vertx;
    this.config = config;
    this.client = client;
    this.interactions = interactions;
    this.pacer = pacer;
    this.workspace = workspace;
    this.format = format;
  }

  List<Step> plan(OutboundMessage out) {
    SlackTarget target = SlackTarget.parse(out.conversationId());
    String channel = target.channelId();
    Interactions.Pending ix = interactions.find(out.replyToPlatformId());
    if (OutboundMessage.REACTION.equals(out.kind())) {
      String ts = ix == null ? SlackTarget.tsOf(out.replyToPlatformId()) : null;
      return List.of(() -> react(channel, ts, out.text()));
    }
    RichReply rich;
    try {
      rich = RichReply.fromJson(out.rich());
    } catch (IllegalArgumentException e) {
      throw DeliveryException.permanent("the reply's card, buttons or poll are not valid: " + e.getMessage());
    }
    List<String> parts = out.text() == null || out.text().isBlank() ? List.of() : format.apply(out.text());
    List<LayoutBlock> blocks = SlackBlocks.render(rich, out.conversationId());
    String thread = threadFor(target, out.replyToPlatformId(), ix);
    List<Step> steps = new ArrayList<>();
    // The rich blocks ride on the last part when it fits a section block, so the buttons sit under the words.
    boolean together = !blocks.isEmpty() && !parts.isEmpty()
        && parts.get(parts.size() - 1).length() <= SlackBlocks.SECTION_MAX;
    boolean command = ix != null && ix.command();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      List<LayoutBlock> with = together && i == parts.size() - 1 ? SlackBlocks.withText(part, blocks) : null;
      steps.add(() -> command ? ephemeral(ix, part, with) : post(channel, thread, part, with));
    }
    if (!blocks.isEmpty() && !together) {
      String fallback = SlackBlocks.cut(rich.asText(), config.maxMessageChars());
      steps.add(() -> command ? ephemeral(ix, fallback, blocks) : post(channel, thread, fallback, blocks));
    }
    List<Path> files = files(out);
    Path root = files.isEmpty() ? null : workspace.apply(out.agentId());
    for (Path file : files) {
      steps.add(() -> upload(channel, thread, root, file));
    }
    return steps;
  }

  /**
   * The thread a reply goes in: the conversation's own thread; a click's message thread; else, in a channel with
   * {@code reply_in_thread}, a new thread under the message it answers. DMs are answered in the open.
   */
  private String threadFor(SlackTarget target, String replyTo, Interactions.Pending ix) {
    if (target.threadTs() != null) {
      return target.threadTs();
    }
    if (ix != null) {
      return ix.threadTs();
    }
    if (target.direct() || !config.replyInThread() || replyTo == null
        || !replyTo.startsWith(target.channelId() + ":")) {
      return null;
    }
    return SlackTarget.tsOf(replyTo);
  }

  private Future<String> post(String channel, String thread, String text, List<LayoutBlock> blocks) {
    long wait = pacer.reserve(channel);
    if (wait > MAX_PACING_WAIT_MS) {
      return Future.failedFuture(DeliveryException.rateLimited("pacing chat.postMessage in " + channel
          + " (about " + config.postsPerSecond() + " a second)", wait));
    }
    Promise<String> sent = Promise.promise();
    Runnable call = () -> call("post a message", channel, () -> client().chatPostMessage(r -> {
      r.channel(channel).text(text).threadTs(thread).mrkdwn(true).unfurlLinks(false);
      if (blocks != null) {
        r.blocks(blocks);
      }
      return r;
    })).map(r -> r.getTs()).onComplete(sent);
    if (wait <= 0) {
      call.run();
    } else {
      vertx.setTimer(wait, t -> call.run());
    }
    return sent.future();
  }

  private Future<String> ephemeral(Interactions.Pending ix, String text, List<LayoutBlock> blocks) {
    return call("answer the command", ix.channelId(), () -> client().chatPostEphemeral(r -> {
      r.channel(ix.channelId()).user(ix.userId()).text(text).threadTs(ix.threadTs());
      if (blocks != null) {
        r.blocks(blocks);
      }
      return r;
    })).map(r -> r.getMessageTs() == null ? "" : r.getMessageTs());
  }

  private Future<String> react(String channel, String ts, String emoji) {
    if (ts == null) {
      log.info("[slack] Reaction {} in {} has no message to go on; skipped", emoji, channel);
      return Future.succeededFuture("");
    }
    boolean remove = emoji != null && emoji.strip().startsWith("-");
    String name = EmojiNames.name(remove ? emoji.strip().substring(1) : emoji);
    if (name == null) {
      return Future.failedFuture(DeliveryException.permanent("\"" + emoji + "\" has no Slack emoji name; react with "
          + "a common emoji or a name such as thumbsup"));
    }
    Future<? extends SlackApiTextResponse> done = remove
        ? call("remove a reaction", channel, () -> client().reactionsRemove(r -> r.channel(channel).timestamp(ts)
            .name(name)), "no_reaction")
        : call("add a reaction", channel, () -> client().reactionsAdd(r -> r.channel(channel).timestamp(ts)
            .name(name)), "already_reacted");
    return done.map(r -> SlackTarget.messageId(channel, ts));
  }

  /** Adds or removes the reaction that shows a turn is running (no retries; failures only logged). */
  void typingReaction(String channel, String ts, boolean on) {
    String name = config.typingReaction();
    if (name.isEmpty() || ts == null) {
      return;
    }
    (on ? call("add the typing reaction", channel, () -> client().reactionsAdd(r -> r.channel(channel).timestamp(ts)
        .name(name)), "already_reacted")
        : call("remove the typing reaction", channel, () -> client().reactionsRemove(r -> r.channel(channel)
            .timestamp(ts).name(name)), "no_reaction"))
        .onFailure(err -> log.debug("[slack] Typing reaction in {}: {}", channel, err.getMessage()));
  }

  /** The status line under an assistant thread ("is thinking…"); an empty status clears it. */
  void assistantStatus(String channel, String threadTs, String status) {
    call("set the assistant status", channel, () -> client().assistantThreadsSetStatus(r -> r.channelId(channel)
        .threadTs(threadTs).status(status)))
        .onFailure(err -> log.debug("[slack] Assistant status in {}: {}", channel, err.getMessage()));
  }

  private Future<String> upload(String channel, String thread, Path root, Path file) {
    return vertx.executeBlocking(() -> {
      Path realRoot = root.toRealPath();
      Path real;
      try {
        real = file.toRealPath();
      } catch (NoSuchFileException e) {
        throw DeliveryException.permanent("there is no file " + root.relativize(file) + " in the workspace");
      }
      if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
        throw DeliveryException.permanent(root.relativize(file) + " is not a file inside the agent's workspace");
      }
      return real;
    }, false).compose(real -> call("upload a file", channel, () -> client().filesUploadV2(r -> r.channel(channel)
        .threadTs(thread).file(real.toFile()).filename(real.getFileName().toString())
        .title(real.getFileName().toString())))
        .map(r -> r.getFiles() == null || r.getFiles().isEmpty() ? "" : r.getFiles().get(0).getId()));
  }

  private List<Path> files(OutboundMessage out) {
    return out.files().isEmpty() ? List.of() : WorkspaceFiles.resolve(workspace.apply(out.agentId()), out.files());
  }

  private MethodsClient client() {
    MethodsClient c = client.get();
    if (c == null) {
      throw DeliveryException.transientFailure("slack is not connected");
    }
    return c;
  }

  private <T extends SlackApiTextResponse> Future<T> call(String what, String channel, Callable<T> request,
      String... harmless) {
    return vertx.<T>executeBlocking(() -> {
      T response = request.call();
      if (!response.isOk() && List.of(harmless).contains(response.getError())) {
        return response;
      }
      return SlackErrors.check(response, what);
    }, false).recover(err -> {
      DeliveryException e = SlackErrors.map(err, what);
      if (e.failure().retryAfterMillis() > 0) {
        pacer.backOff(channel, e.failure().retryAfterMillis());
      }
      return Future.failedFuture(e);
    });
  }
}
