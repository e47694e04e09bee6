package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.RichReply;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.entities.Message.MentionType;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.junit.jupiter.api.Test;

class DiscordRendererTest {
  /** Splits on blank lines: stands in for the formatter, whose own tests cover the splitting rules. */
  static final Function<String, List<String>> PARAGRAPHS = text -> List.of(text.split("\n\n"));

  static RichReply rich(String json) {
    return RichReply.fromJson(new JsonObject(json));
  }

  @Test
  void eachPartIsAMessageAndCardAndButtonsGoOnTheLast() {
    RichReply r = rich("""
        {"card":{"title":"Build","description":"green","color":"#00ff00","url":"https://ci.example/1",
                 "fields":[{"name":"tests","value":"812","inline":true}]},
         "buttons":[{"id":"deploy","label":"Deploy"},{"label":"Logs","url":"https://ci.example/1/logs"}]}""");
    DiscordRenderer.Rendered out = DiscordRenderer.render("one\n\ntwo", r, PARAGRAPHS);
    assertThat(out.parts()).extracting(MessageCreateData::getContent).containsExactly("one", "two");
    assertThat(out.parts().get(0).getEmbeds()).isEmpty();
    assertThat(out.parts().get(0).getComponents()).isEmpty();
    MessageCreateData last = out.parts().get(1);
    MessageEmbed embed = last.getEmbeds().get(0);
    assertThat(embed.getTitle()).isEqualTo("Build");
    assertThat(embed.getUrl()).isEqualTo("https://ci.example/1");
    assertThat(embed.getDescription()).isEqualTo("green");
    assertThat(embed.getColorRaw()).isEqualTo(0x00ff00);
    assertThat(embed.getFields()).singleElement().satisfies(f -> {
      assertThat(f.getName()).isEqualTo("tests");
      assertThat(f.getValue()).isEqualTo("812");
      assertThat(f.isInline()).isTrue();
    });
    List<Button> buttons = last.getComponents().get(0).asActionRow().getButtons();
    assertThat(buttons).hasSize(2);
    assertThat(buttons.get(0).getCustomId()).isEqualTo("deploy");
    assertThat(buttons.get(0).getLabel()).isEqualTo("Deploy");
    assertThat(buttons.get(1).getStyle()).isEqualTo(ButtonStyle.LINK);
    assertThat(buttons.get(1).getUrl()).isEqualTo("https://ci.example/1/logs");
    assertThat(out.poll()).isNull();
  }

  @Test
  void nobodyIsPingedEnMasse() {
    MessageCreateData m = DiscordRenderer.render("@everyone look", null, PARAGRAPHS).parts().get(0);
    assertThat(m.getAllowedMentions()).containsExactly(MentionType.USER);
  }

  @Test
  void aCardWithoutTextIsOneMessageAndAPollIsItsOwn() {
    DiscordRenderer.Rendered out = DiscordRenderer.render("", rich("""
        {"card":{"description":"just a card"},
         "poll":{"question":"Lunch?","options":["pizza","sushi"],"multiple":true}}"""), PARAGRAPHS);
    assertThat(out.parts()).singleElement().satisfies(m -> {
      assertThat(m.getContent()).isEmpty();
      assertThat(m.getEmbeds().get(0).getDescription()).isEqualTo("just a card");
    });
    String poll = out.poll().toData().toString();
    assertThat(poll).contains("Lunch?", "pizza", "sushi", "\"allow_multiselect\":true");
  }

  @Test
  void nothingToSayIsNoMessage() {
    assertThat(DiscordRenderer.render("  ", null, PARAGRAPHS).parts()).isEmpty();
  }

  @Test
  void moreThanFiveButtonsTakeASecondRow() {
    StringBuilder json = new StringBuilder("{\"buttons\":[");
    for (int i = 0; i < 7; i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":\"b").append(i).append("\",\"label\":\"B").append(i).append("\"}");
    }
    RichReply r = rich(json.append("]}").toString());
    MessageCreateData m = DiscordRenderer.render("pick", r, PARAGRAPHS).parts().get(0);
    assertThat(m.getComponents()).hasSize(2);
    assertThat(m.getComponents().get(0).asActionRow().getButtons()).hasSize(5);
    assertThat(m.getComponents().get(1).asActionRow().getButtons()).hasSize(2);
  }

  @Test
  void overlongCardPartsAreShortenedNotRefused() {
    String longTitle = "t".repeat(400);
    RichReply r = rich(new JsonObject().put("card", new JsonObject().put("title", longTitle)
        .put("fields", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "n")
            .put("value", "v".repeat(2000))))).encode());
    MessageEmbed embed = DiscordRenderer.render("x", r, PARAGRAPHS).parts().get(0).getEmbeds().get(0);
    assertThat(embed.getTitle()).hasSize(MessageEmbed.TITLE_MAX_LENGTH).endsWith("…");
    assertThat(embed.getFields().get(0).getValue()).hasSize(MessageEmbed.VALUE_MAX_LENGTH);
  }
}
