package ai.spacebot.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The reply tool's structured parts: read and checked once, with words the model can act on; text fallback. */
class RichReplyTest {
  @Test
  void readsACardButtonsAndAPollAndFallsBackToText() {
    RichReply rich = RichReply.fromJson(new JsonObject("""
        {"card": {"title": "Deploy", "description": "v1.2 is out", "color": "#3366ff", "url": "https://example.org/r",
                  "fields": [{"name": "env", "value": "prod", "inline": true}]},
         "buttons": [{"id": "ok", "label": "Looks good"}, {"label": "Open", "url": "https://example.org"}],
         "poll": {"question": "Ship it?", "options": ["yes", "no"]}}"""));
    assertThat(rich.card().color()).isEqualTo(0x3366ff);
    assertThat(rich.card().fields()).containsExactly(new RichReply.Field("env", "prod", true));
    assertThat(rich.buttons()).extracting(RichReply.Button::id).containsExactly("ok", null);
    assertThat(rich.poll().options()).containsExactly("yes", "no");
    assertThat(RichReply.fromJson(rich.toJson())).isEqualTo(rich);
    assertThat(rich.asText()).contains("**Deploy**", "env: prod", "Poll: Ship it?", "1. yes", "[Looks good]",
        "[Open] https://example.org");
  }

  @Test
  void nothingIsNull() {
    assertThat(RichReply.fromJson(null)).isNull();
    assertThat(RichReply.fromJson(new JsonObject())).isNull();
  }

  @Test
  void refusesWhatNoPlatformCanShow() {
    assertThatThrownBy(() -> RichReply.fromJson(new JsonObject().put("poll", new JsonObject().put("question", "q")
        .put("options", new io.vertx.core.json.JsonArray().add("only one")))))
        .hasMessageContaining("2 to 10 options");
    assertThatThrownBy(() -> RichReply.fromJson(new JsonObject("{\"buttons\": [{\"id\": \"x\"}]}")))
        .hasMessageContaining("label");
    assertThatThrownBy(() -> RichReply.fromJson(new JsonObject("{\"card\": {\"title\": \"t\", \"color\": \"blue\"}}")))
        .hasMessageContaining("hex colour");
    assertThatThrownBy(() -> RichReply.fromJson(new JsonObject("{\"buttons\": [{\"label\": \"l\", \"url\": \"javascript:x\"}]}")))
        .hasMessageContaining("http(s)");
  }
}
