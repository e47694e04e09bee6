package ai.spacebot.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The structured parts a {@code reply} may carry: a card, buttons, a poll. Each adapter renders them natively
 * (Discord embeds, components and polls; Telegram inline keyboards and polls) and falls back to text
 * ({@link #asText()}) where its platform lacks one. A button click comes back as an inbound message of the same
 * conversation.
 */
public record RichReply(Card card, List<Button> buttons, Poll poll) {
  public static final int MAX_BUTTONS = 10;
  public static final int MAX_POLL_OPTIONS = 10;

  public RichReply {
    buttons = buttons == null ? List.of() : List.copyOf(buttons);
  }

  public record Card(String title, String description, List<Field> fields, Integer color, String url) {
    public Card {
      fields = fields == null ? List.of() : List.copyOf(fields);
    }
  }

  public record Field(String name, String value, boolean inline) {}

  /** @param id what a click reports back (ignored for link buttons) */
  public record Button(String id, String label, String url) {}

  public record Poll(String question, List<String> options, boolean multiple) {
    public Poll {
      options = List.copyOf(options);
    }
  }

  public boolean isEmpty() {
    return card == null && buttons.isEmpty() && poll == null;
  }

  /** The parts as plain lines, for a platform that can show none of them. */
  public String asText() {
    StringBuilder out = new StringBuilder();
    if (card != null) {
      if (card.title() != null) {
        out.append("**").append(card.title()).append("**\n");
      }
      if (card.description() != null) {
        out.append(card.description()).append('\n');
      }
      for (Field f : card.fields()) {
        out.append("- ").append(f.name()).append(": ").append(f.value()).append('\n');
      }
      if (card.url() != null) {
        out.append(card.url()).append('\n');
      }
    }
    if (poll != null) {
      out.append("Poll: ").append(poll.question()).append('\n');
      for (int i = 0; i < poll.options().size(); i++) {
        out.append(i + 1).append(". ").append(poll.options().get(i)).append('\n');
      }
    }
    for (Button b : buttons) {
      out.append("[").append(b.label()).append("]").append(b.url() == null ? "" : " " + b.url()).append('\n');
    }
    return out.toString().strip();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (card != null) {
      JsonArray fields = new JsonArray();
      card.fields().forEach(f -> fields.add(new JsonObject().put("name", f.name()).put("value", f.value())
          .put("inline", f.inline())));
      json.put("card", new JsonObject().put("title", card.title()).put("description", card.description())
          .put("fields", fields).put("color", card.color()).put("url", card.url()));
    }
    if (!buttons.isEmpty()) {
      JsonArray array = new JsonArray();
      buttons.forEach(b -> array.add(new JsonObject().put("id", b.id()).put("label", b.label()).put("url", b.url())));
      json.put("buttons", array);
    }
    if (poll != null) {
      json.put("poll", new JsonObject().put("question", poll.question()).put("options", new JsonArray(poll.options()))
          .put("multiple", poll.multiple()));
    }
    return json;
  }

  /**
   * Reads and checks the parts (from the reply tool's arguments or the bus); null when there are none.
   *
   * @throws IllegalArgumentException naming what is wrong, in words the model can act on
   */
  public static RichReply fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    Card card = null;
    JsonObject c = object(json, "card");
    if (c != null) {
      List<Field> fields = new ArrayList<>();
      JsonArray fs = array(c, "fields");
      if (fs != null) {
        for (Object o : fs) {
          if (!(o instanceof JsonObject f) || text(f, "name") == null || text(f, "value") == null) {
            throw new IllegalArgumentException("card.fields must be objects with name and value");
          }
          fields.add(new Field(text(f, "name"), text(f, "value"), Boolean.TRUE.equals(f.getValue("inline"))));
        }
      }
      Object color = c.getValue("color");
      Integer rgb = null;
      if (color instanceof Number n) {
        rgb = n.intValue();
      } else if (color instanceof String s && s.matches("#?[0-9a-fA-F]{6}")) {
        rgb = Integer.parseInt(s.startsWith("#") ? s.substring(1) : s, 16);
      } else if (color != null) {
        throw new IllegalArgumentException("card.color must be a hex colour like #3366ff");
      }
      String url = text(c, "url");
      if (url != null && !url.matches("https?://\\S+")) {
        throw new IllegalArgumentException("card.url must be an http(s) URL");
      }
      if (text(c, "title") == null && text(c, "description") == null && fields.isEmpty()) {
        throw new IllegalArgumentException("card needs a title, a description or fields");
      }
      card = new Card(text(c, "title"), text(c, "description"), fields, rgb, url);
    }
    List<Button> buttons = new ArrayList<>();
    JsonArray bs = array(json, "buttons");
    if (bs != null) {
      if (bs.size() > MAX_BUTTONS) {
        throw new IllegalArgumentException("at most " + MAX_BUTTONS + " buttons");
      }
      for (Object o : bs) {
        if (!(o instanceof JsonObject b) || text(b, "label") == null) {
          throw new IllegalArgumentException("buttons must be objects with a label (and an id or a url)");
        }
        String url = text(b, "url");
        if (url != null && !url.matches("https?://\\S+")) {
          throw new IllegalArgumentException("a button's url must be an http(s) URL");
        }
        String id = text(b, "id") != null ? text(b, "id") : url == null ? text(b, "label") : null;
        if (id != null && id.length() > 60) {
          throw new IllegalArgumentException("a button's id must be at most 60 characters");
        }
        buttons.add(new Button(id, text(b, "label"), url));
      }
    }
    Poll poll = null;
    JsonObject p = object(json, "poll");
    if (p != null) {
      JsonArray options = array(p, "options");
      if (text(p, "question") == null || options == null || options.size() < 2 || options.size() > MAX_POLL_OPTIONS) {
        throw new IllegalArgumentException("poll needs a question and 2 to " + MAX_POLL_OPTIONS + " options");
      }
      List<String> opts = new ArrayList<>();
      options.forEach(o -> opts.add(String.valueOf(o)));
      poll = new Poll(text(p, "question"), opts, Boolean.TRUE.equals(p.getValue("multiple")));
    }
    RichReply reply = new RichReply(card, buttons, poll);
    return reply.isEmpty() ? null : reply;
  }

  private static JsonObject object(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    return o;
  }

  private static JsonArray array(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw new IllegalArgumentException(key + " must be a list");
    }
    return a;
  }

  private static String text(JsonObject json, String key) {
    Object v = json.getValue(key);
    return v == null || String.valueOf(v).isBlank() ? null : String.valueOf(v);
  }
}
