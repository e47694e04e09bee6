package ai.spacebot.channel;

import ai.spacebot.bus.Attachment;
import ai.spacebot.bus.InboundMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.langchain4j.data.message.ImageContent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows a message's attachments to the model as text: a text-like file inline (up to {@link #INLINE_BYTES}),
 * anything else as a line saying where in the workspace it was saved, so a worker can open it. The adapter has
 * already downloaded them; files are read with Vert.x's async file system, off the event loop.
 */
final class AttachmentText {
  static final int INLINE_BYTES = 16 * 1024;
  /** Images above this are named, not shown (providers refuse larger ones, and they cost many tokens). */
  static final long IMAGE_BYTES = 5L * 1024 * 1024;

  /** A message ready for its channel: attachments as text, and images to show a model that takes them. */
  record Prepared(InboundMessage message, List<ImageContent> images) {}

  private AttachmentText() {}

  static Future<Prepared> expand(Vertx vertx, Path workspace, InboundMessage in) {
    if (in.attachments().isEmpty()) {
      return Future.succeededFuture(new Prepared(in, List.of()));
    }
    List<Future<String>> lines = new ArrayList<>();
    List<Future<ImageContent>> images = new ArrayList<>();
    for (Attachment a : in.attachments()) {
      lines.add(line(vertx, workspace, a));
      if (a.isImage() && a.path() != null && a.size() <= IMAGE_BYTES) {
        images.add(image(vertx, workspace, a));
      }
    }
    List<Future<?>> all = new ArrayList<>(lines);
    all.addAll(images);
    return Future.join(all).transform(ar -> {
      StringBuilder text = new StringBuilder(in.text() == null ? "" : in.text());
      for (Future<String> line : lines) {
        if (line.succeeded()) {
          text.append(text.isEmpty() ? "" : "\n\n").append(line.result());
        }
      }
      List<ImageContent> shown = images.stream().filter(Future::succeeded).map(Future::result).toList();
      return Future.succeededFuture(new Prepared(in.withText(text.toString()), shown));
    });
  }

  private static Future<ImageContent> image(Vertx vertx, Path workspace, Attachment a) {
    Path file = workspace.resolve(a.path()).normalize();
    if (!file.startsWith(workspace)) {
      return Future.failedFuture("outside the workspace");
    }
    return vertx.fileSystem().readFile(file.toString())
        .map(buffer -> ImageContent.from(Base64.getEncoder().encodeToString(buffer.getBytes()), a.mimeType()));
  }

  private static Future<String> line(Vertx vertx, Path workspace, Attachment a) {
    String what = a.name() + " (" + (a.mimeType() == null ? "unknown type" : a.mimeType()) + ", " + a.size() + " bytes)";
    if (a.path() == null) {
      return Future.succeededFuture("[Attached " + what + ", not downloaded: " + a.error() + "]");
    }
    String saved = "[Attached " + what + ", saved in the workspace at " + a.path() + "]";
    if (!a.isText() || a.size() > INLINE_BYTES) {
      return Future.succeededFuture(saved);
    }
    Path file = workspace.resolve(a.path()).normalize();
    if (!file.startsWith(workspace)) {
      return Future.succeededFuture(saved);
    }
    return vertx.fileSystem().readFile(file.toString())
        .map(buffer -> {
          String content = buffer.toString(StandardCharsets.UTF_8);
          if (content.length() > INLINE_BYTES) {
            content = content.substring(0, INLINE_BYTES) + "\n…(cut)";
          }
          return saved + ":\n```\n" + content + "\n```";
        })
        .otherwise(saved);
  }
}
