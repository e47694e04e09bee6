package ai.spacebot.messaging.slack;

import ai.spacebot.bus.RichReply;
import ai.spacebot.messaging.format.SlackMrkdwn;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code reply} tool's structured parts as Block Kit: a card is a header, a section with its description and its
 * fields (two columns), buttons are actions blocks (link buttons open their URL; the others report back as clicks
 * with their id), a poll is a question with one button per option (Slack has no polls: a vote is a click). Block
 * Kit's limits (header 150, section 3000, field 2000, button label 75, 10 fields, 25 elements a block, 50 blocks) are
 * met by shortening, so a long card still arrives.
 */
final class SlackBlocks {
  static final int HEADER_MAX = 150;
  static final int SECTION_MAX = 3000;
  static final int FIELD_MAX = 2000;
  static final int FIELDS_MAX = 10;
  static final int LABEL_MAX = 75;
  static final int ELEMENTS_MAX = 25;
  static final int ACTION_ID_MAX = 255;
  static final int BLOCKS_MAX = 50;
  /** The action id prefix of a link button (Slack reports its clicks too; they are not answers). */
  static final String LINK = "link:";
  /** The action id prefix of a poll option. */
  static final String POLL = "poll:";

  private SlackBlocks() {}

  /** Block ids of our actions blocks start with this, then the conversation the buttons were posted for. */
  static final String BLOCK_PREFIX = "sb|";

  /**
   * The blocks of a reply's rich parts; empty when it has none. The actions blocks' ids name the conversation the
   * reply belongs to, so a click is taken in there even when the reply went in a thread of its own.
   */
  static List<LayoutBlock> render(RichReply rich, String conversationId) {
    List<LayoutBlock> blocks = new ArrayList<>();
    if (rich == null) {
      return blocks;
    }
    if (rich.card() != null) {
      card(rich.card(), blocks);
    }
    if (!rich.buttons().isEmpty()) {
      List<BlockElement> buttons = new ArrayList<>();
      for (int i = 0; i < rich.buttons().size(); i++) {
        RichReply.Button b = rich.buttons().get(i);
        ButtonElement.ButtonElementBuilder e = ButtonElement.builder().text(plain(cut(b.label(), LABEL_MAX)));
        if (b.url() != null) {
          e.url(b.url()).actionId(LINK + i);
        } else {
          e.actionId(cut(b.id(), ACTION_ID_MAX)).value(cut(b.id(), FIELD_MAX));
        }
        buttons.add(e.build());
      }
      actions(buttons, conversationId, "b", blocks);
    }
    if (rich.poll() != null) {
      RichReply.Poll poll = rich.poll();
      blocks.add(SectionBlock.builder().text(markdown("*" + SlackMrkdwn.escape(cut(poll.question(), SECTION_MAX - 2))
          + "*")).build());
      List<BlockElement> options = new ArrayList<>();
      for (int i = 0; i < poll.options().size(); i++) {
        options.add(ButtonElement.builder().text(plain(cut(poll.options().get(i), LABEL_MAX))).actionId(POLL + i)
            .value(cut(poll.options().get(i), FIELD_MAX)).build());
      }
      actions(options, conversationId, "p", blocks);
    }
    return blocks.size() > BLOCKS_MAX ? List.copyOf(blocks.subList(0, BLOCKS_MAX)) : blocks;
  }

  /** The reply's text as a section before its rich blocks (Slack shows the blocks instead of the text). */
  static List<LayoutBlock> withText(String mrkdwn, List<LayoutBlock> blocks) {
    List<LayoutBlock> out = new ArrayList<>();
    out.add(SectionBlock.builder().text(markdown(cut(mrkdwn, SECTION_MAX))).build());
    out.addAll(blocks.size() >= BLOCKS_MAX ? blocks.subList(0, BLOCKS_MAX - 1) : blocks);
    return out;
  }

  private static void card(RichReply.Card card, List<LayoutBlock> blocks) {
    String title = card.title() != null ? card.title() : card.url();
    if (title != null) {
      blocks.add(HeaderBlock.builder().text(plain(cut(title, HEADER_MAX))).build());
    }
    StringBuilder body = new StringBuilder();
    if (card.description() != null) {
      body.append(SlackMrkdwn.render(card.description()));
    }
    if (card.url() != null && card.title() != null) {
      body.append(body.length() == 0 ? "" : "\n").append('<').append(card.url().replace("&", "&amp;")).append('>');
    }
    SectionBlock.SectionBlockBuilder section = SectionBlock.builder();
    boolean any = false;
    if (body.length() > 0) {
      section.text(markdown(cut(body.toString(), SECTION_MAX)));
      any = true;
    }
    List<TextObject> fields = new ArrayList<>();
    for (RichReply.Field f : card.fields()) {
      if (fields.size() == FIELDS_MAX) {
        break;
      }
      fields.add(markdown(cut("*" + SlackMrkdwn.escape(f.name()) + "*\n" + SlackMrkdwn.render(f.value()), FIELD_MAX)));
    }
    if (!fields.isEmpty()) {
      section.fields(fields);
      any = true;
    }
    if (any) {
      blocks.add(section.build());
    }
  }

  private static void actions(List<BlockElement> elements, String conversationId, String kind,
      List<LayoutBlock> blocks) {
    for (int from = 0, n = 0; from < elements.size(); from += ELEMENTS_MAX, n++) {
      String id = BLOCK_PREFIX + (conversationId == null ? "" : conversationId) + "|" + kind + n;
      blocks.add(ActionsBlock.builder().blockId(id.length() <= ACTION_ID_MAX ? id : kind + n)
          .elements(List.copyOf(elements.subList(from, Math.min(elements.size(), from + ELEMENTS_MAX)))).build());
    }
  }

  /** The conversation an actions block was posted for, or null. */
  static String conversationOf(String blockId) {
    if (blockId == null || !blockId.startsWith(BLOCK_PREFIX)) {
      return null;
    }
    int end = blockId.lastIndexOf('|');
    String conversation = end > BLOCK_PREFIX.length() ? blockId.substring(BLOCK_PREFIX.length(), end) : "";
    return conversation.startsWith(SlackNormaliser.PLATFORM + ":") ? conversation : null;
  }

  static PlainTextObject plain(String text) {
    return PlainTextObject.builder().text(text).emoji(true).build();
  }

  static MarkdownTextObject markdown(String text) {
    return MarkdownTextObject.builder().text(text).build();
  }

  static String cut(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
