package ai.spacebot.messaging.discord;

import ai.spacebot.bus.RichReply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Message.MentionType;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.messages.MessagePoll;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessagePollBuilder;
import net.dv8tion.jda.api.utils.messages.MessagePollData;

/**
 * Renders a reply as Discord messages: the Markdown parts (already in Discord's dialect and at most 2000 characters
 * each), a card as an embed and buttons as action rows on the last part, a poll as a message of its own. Limits
 * Discord enforces (embed title 256, field 1024, poll answer 55, ...) are met by shortening rather than failing, so a
 * long card still arrives.
 */
final class DiscordRenderer {
  static final int MAX_LENGTH = 2000;
  /** People may be pinged by name, never @everyone, @here or a role: the model's text is not trusted with those. */
  static final EnumSet<MentionType> ALLOWED_MENTIONS = EnumSet.of(MentionType.USER);

  private DiscordRenderer() {}

  /** The messages of a reply, in order; empty when there is nothing to show. */
  record Rendered(List<MessageCreateData> parts, MessagePollData poll) {}

  static Rendered render(String text, RichReply rich, Function<String, List<String>> format) {
    List<String> texts = text == null || text.isBlank() ? List.of() : format.apply(text);
    List<MessageEmbed> embeds = rich == null || rich.card() == null ? List.of() : List.of(embed(rich.card()));
    List<ActionRow> rows = rich == null || rich.buttons().isEmpty() ? List.of() : rows(rich.buttons());
    List<MessageCreateData> parts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      MessageCreateBuilder b = new MessageCreateBuilder().setContent(texts.get(i)).setAllowedMentions(ALLOWED_MENTIONS);
      if (i == texts.size() - 1) {
        b.setEmbeds(embeds).setComponents(rows);
      }
      parts.add(b.build());
    }
    if (texts.isEmpty() && (!embeds.isEmpty() || !rows.isEmpty())) {
      parts.add(new MessageCreateBuilder().setEmbeds(embeds).setComponents(rows).setAllowedMentions(ALLOWED_MENTIONS)
          .build());
    }
    MessagePollData poll = rich == null || rich.poll() == null ? null : poll(rich.poll());
    return new Rendered(List.copyOf(parts), poll);
  }

  static MessageEmbed embed(RichReply.Card card) {
    EmbedBuilder e = new EmbedBuilder();
    String title = card.title() != null ? card.title() : card.url();
    if (title != null) {
      e.setTitle(cut(title, MessageEmbed.TITLE_MAX_LENGTH), card.url());
    }
    if (card.description() != null) {
      e.setDescription(cut(card.description(), MessageEmbed.DESCRIPTION_MAX_LENGTH));
    }
    card.fields().stream().limit(MessageEmbed.MAX_FIELD_AMOUNT).forEach(f -> e.addField(
        cut(f.name(), MessageEmbed.TITLE_MAX_LENGTH), cut(f.value(), MessageEmbed.VALUE_MAX_LENGTH), f.inline()));
    if (card.color() != null) {
      e.setColor(card.color());
    }
    return e.build();
  }

  /** Link buttons open their URL; the others report their id back when clicked. Five to a row, as Discord wants. */
  static List<ActionRow> rows(List<RichReply.Button> buttons) {
    List<Button> out = new ArrayList<>();
    for (RichReply.Button b : buttons) {
      String label = cut(b.label(), Button.LABEL_MAX_LENGTH);
      out.add(b.url() != null ? Button.link(b.url(), label) : Button.primary(b.id(), label));
    }
    return ActionRow.partitionOf(out);
  }

  static MessagePollData poll(RichReply.Poll poll) {
    MessagePollBuilder b = MessagePollData.builder(cut(poll.question(), MessagePoll.MAX_QUESTION_TEXT_LENGTH))
        .setMultiAnswer(poll.multiple());
    poll.options().stream().limit(MessagePoll.MAX_ANSWERS)
        .forEach(o -> b.addAnswer(cut(o, MessagePoll.MAX_ANSWER_TEXT_LENGTH)));
    return b.build();
  }

  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 1) + "…";
  }
}
