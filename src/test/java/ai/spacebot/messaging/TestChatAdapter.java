package ai.spacebot.messaging;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.messaging.format.Dialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform adapter written against {@link AdapterVerticle} for the contract's own tests: its "platform" is
 * this object (what was sent, typing calls), and faults are scripted per step. It splits a message into parts at
 * lines of "---", so partial deliveries can be shown without a real platform's formatter.
 */
final class TestChatAdapter extends AdapterVerticle {
  /** Lets a step through when it comes up in {@link #faults}. */
  static final RuntimeException PASS = new RuntimeException("pass");
  /** Scripted answers for the next steps, in order: an exception fails that step, {@link #PASS} lets it through. */
  final Queue<RuntimeException> faults = new ConcurrentLinkedQueue<>();
  /** When each step was tried. */
  final List<Long> attempts = new CopyOnWriteArrayList<>();
  /** Parts as they reached the "platform", in order. */
  final List<String> sent = new CopyOnWriteArrayList<>();
  final List<String> reactions = new CopyOnWriteArrayList<>();
  final Map<String, List<Long>> typing = new ConcurrentHashMap<>();
  final Queue<RuntimeException> connectFaults = new ConcurrentLinkedQueue<>();
  final AtomicInteger connects = new AtomicInteger();
  private final String platform;
  private final long typingInterval;
  private final AtomicInteger ids = new AtomicInteger();

  TestChatAdapter(String platform, long typingInterval) {
    super(null);
    this.platform = platform;
    this.typingInterval = typingInterval;
  }

  @Override
  public String platform() {
    return platform;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(100, Dialect.PLAIN, typingInterval, true, false, false, false, false);
  }

  @Override
  protected Future<Void> connect() {
    connects.incrementAndGet();
    RuntimeException fault = connectFaults.poll();
    return fault == null ? Future.succeededFuture() : Future.failedFuture(fault);
  }

  @Override
  protected Future<Void> disconnect() {
    return Future.succeededFuture();
  }

  @Override
  protected List<Step> plan(OutboundMessage out) {
    if (out.kind().equals(OutboundMessage.REACTION)) {
      return List.of(() -> step(() -> reactions.add(out.replyToPlatformId() + ":" + out.text()), out.replyToPlatformId()));
    }
    List<Step> steps = new ArrayList<>();
    for (String file : out.files()) {
      steps.add(() -> step(() -> sent.add(out.conversationId() + "|file:" + file), "f" + ids.incrementAndGet()));
    }
    for (String part : out.text().split("\n---\n")) {
      steps.add(() -> step(() -> sent.add(out.conversationId() + "|" + part), "m" + ids.incrementAndGet()));
    }
    return steps;
  }

  private Future<String> step(Runnable deliver, String id) {
    attempts.add(System.currentTimeMillis());
    RuntimeException fault = faults.poll();
    if (fault != null && fault != PASS) {
      return Future.failedFuture(fault);
    }
    deliver.run();
    return Future.succeededFuture(id);
  }

  @Override
  protected void sendTyping(String conversationId) {
    typing.computeIfAbsent(conversationId, k -> Collections.synchronizedList(new ArrayList<>()))
        .add(System.currentTimeMillis());
  }

  /** A person writes in a conversation of this platform; completes once it is stored. */
  Future<Accepted> say(String conversation, String platformMessageId, String text, Addressing addressing) {
    return say(conversation, platformMessageId, text, addressing, List.of());
  }

  Future<Accepted> say(String conversation, String platformMessageId, String text, Addressing addressing,
      List<ai.spacebot.bus.Attachment> attachments) {
    InboundMessage in = new InboundMessage(UUID.randomUUID().toString(), "main", platform, conversation, "user-1", "Ada",
        text, System.currentTimeMillis(), platformMessageId, new JsonObject(), addressing, null, attachments);
    io.vertx.core.Promise<Accepted> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> submit(in).onComplete(done));
    return done.future();
  }

  Future<Void> edit(String conversation, String platformMessageId, String text, boolean deleted) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> submitEdit(new MessageEdit(platform, conversation, platformMessageId, text, deleted,
        System.currentTimeMillis())).onComplete(done));
    return done.future();
  }

  void lose(String why) {
    connectionLost(why);
  }
}
