package ai.spacebot.messaging.slack;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.RichReply;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.element.ButtonElement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reply tool's rich parts as Block Kit, within Block Kit's limits. */
class SlackBlocksTest {
  private static final String CONVERSATION = "slack:T1:C2";

  @Test
  void aCardIsAHeaderAndASectionWithFields() {
    RichReply rich = new RichReply(new RichReply.Card("Build #12", "All **green** <3", List.of(
        new RichReply.Field("Tests", "412", true), new RichReply.Field("Time", "3 min", true)), 0x00ff00,
        "https://ci.example/12"), List.of(), null);
    List<LayoutBlock> blocks = SlackBlocks.render(rich, CONVERSATION);
    assertThat(blocks).hasSize(2);
    assertThat(((HeaderBlock) blocks.get(0)).getText().getText()).isEqualTo("Build #12");
    SectionBlock section = (SectionBlock) blocks.get(1);
    assertThat(section.getText().getText()).isEqualTo("All *green* &lt;3\n<https://ci.example/12>");
    assertThat(section.getFields()).hasSize(2);
    assertThat(section.getFields().get(0).getText()).isEqualTo("*Tests*\n412");
  }

  @Test
  void buttonsReportTheirIdAndLinksOpenTheirUrl() {
    RichReply rich = new RichReply(null, List.of(new RichReply.Button("approve", "Approve", null),
        new RichReply.Button("docs", "Docs", "https://example.org")), null);
    List<LayoutBlock> blocks = SlackBlocks.render(rich, CONVERSATION);
    ActionsBlock actions = (ActionsBlock) blocks.get(0);
    assertThat(actions.getBlockId()).isEqualTo("sb|slack:T1:C2|b0");
    assertThat(SlackBlocks.conversationOf(actions.getBlockId())).isEqualTo(CONVERSATION);
    ButtonElement approve = (ButtonElement) actions.getElements().get(0);
    assertThat(approve.getActionId()).isEqualTo("approve");
    assertThat(approve.getValue()).isEqualTo("approve");
    assertThat(approve.getText().getText()).isEqualTo("Approve");
    ButtonElement docs = (ButtonElement) actions.getElements().get(1);
    assertThat(docs.getUrl()).isEqualTo("https://example.org");
    assertThat(docs.getActionId()).isEqualTo("link:1");
  }

  @Test
  void aPollIsAQuestionWithAButtonPerOption() {
    RichReply rich = new RichReply(null, List.of(), new RichReply.Poll("Lunch?", List.of("Pizza", "Soup"), false));
    List<LayoutBlock> blocks = SlackBlocks.render(rich, CONVERSATION);
    assertThat(((SectionBlock) blocks.get(0)).getText().getText()).isEqualTo("*Lunch?*");
    ActionsBlock options = (ActionsBlock) blocks.get(1);
    assertThat(options.getElements()).extracting(e -> ((ButtonElement) e).getActionId())
        .containsExactly("poll:0", "poll:1");
    assertThat(options.getElements()).extracting(e -> ((ButtonElement) e).getValue()).containsExactly("Pizza", "Soup");
  }

  @Test
  void longPartsAreShortenedToBlockKitsLimits() {
    String longTitle = "t".repeat(400);
    String longText = "d".repeat(5000);
    List<RichReply.Field> fields = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      fields.add(new RichReply.Field("f" + i, "v".repeat(3000), false));
    }
    RichReply rich = new RichReply(new RichReply.Card(longTitle, longText, fields, null, null),
        List.of(new RichReply.Button("id", "l".repeat(200), null)), null);
    List<LayoutBlock> blocks = SlackBlocks.render(rich, CONVERSATION);
    assertThat(((HeaderBlock) blocks.get(0)).getText().getText()).hasSize(SlackBlocks.HEADER_MAX).endsWith("…");
    SectionBlock section = (SectionBlock) blocks.get(1);
    assertThat(section.getText().getText()).hasSize(SlackBlocks.SECTION_MAX);
    assertThat(section.getFields()).hasSize(SlackBlocks.FIELDS_MAX);
    assertThat(section.getFields()).allMatch(f -> f.getText().length() <= SlackBlocks.FIELD_MAX);
    ButtonElement button = (ButtonElement) ((ActionsBlock) blocks.get(2)).getElements().get(0);
    assertThat(button.getText().getText()).hasSize(SlackBlocks.LABEL_MAX);
  }

  @Test
  void nothingRichIsNoBlocks() {
    assertThat(SlackBlocks.render(null, CONVERSATION)).isEmpty();
    assertThat(SlackBlocks.conversationOf("actions-1")).isNull();
  }
}
