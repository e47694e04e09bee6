package ai.spacebot.bench.quality;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Generated conversations and the questions about them. */
public record Corpus(long seed, List<Message> messages, List<Question> questions) {

  /**
   * One chat message.
   *
   * @param kind the memory type it is stored as (fact, decision, ..., observation)
   * @param role why the generator put it there: evidence, stale, rival, ask, near, ack or smalltalk
   */
  public record Message(String id, String conversation, int session, String date, String author, String kind, String role,
      String text) {

    /** What gets remembered: the speaker and the words, as a per-message memory would hold them. */
    public String content() {
      return author + ": " + text;
    }
  }

  /** @param sharedWords content words the question shares with its evidence (see {@link WordOverlap}) */
  public record Question(String id, String conversation, String topic, QuestionKind kind, String text, String answer,
      List<String> evidence, List<String> sharedWords) {}

  public void writeJsonl(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Message m : messages) {
        out.write(new JsonObject().put("type", "message").put("id", m.id()).put("conversation", m.conversation())
            .put("session", m.session()).put("date", m.date()).put("author", m.author()).put("kind", m.kind())
            .put("role", m.role()).put("text", m.text()).encode());
        out.write('\n');
      }
      for (Question q : questions) {
        out.write(new JsonObject().put("type", "question").put("id", q.id()).put("conversation", q.conversation())
            .put("topic", q.topic()).put("kind", q.kind().wireName()).put("text", q.text()).put("answer", q.answer())
            .put("evidence", new JsonArray(q.evidence())).put("shared_words", new JsonArray(q.sharedWords())).encode());
        out.write('\n');
      }
    }
  }
}
