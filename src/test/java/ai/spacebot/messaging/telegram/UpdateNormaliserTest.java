package ai.spacebot.messaging.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.bus.Addressing;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.Bindings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.telegram.telegrambots.meta.api.objects.Update;

/** Telegram updates, written as the Bot API sends them, and what Spacebot makes of each. */
class UpdateNormaliserTest {
  private static final long BOT = 7_000_001L;
  private static final String ADA = "{\"id\":42,\"is_bot\":false,\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"username\":\"ada\"}";
  private static final String US = "{\"id\":" + BOT + ",\"is_bot\":true,\"first_name\":\"Space\",\"username\":\"SpaceBot\"}";
  private static final String DM = "{\"id\":42,\"type\":\"private\",\"first_name\":\"Ada\"}";
  private static final String GROUP = "{\"id\":-100500,\"type\":\"supergroup\",\"title\":\"Engines\"}";
  private static final String FORUM = "{\"id\":-100600,\"type\":\"supergroup\",\"title\":\"Forum\",\"is_forum\":true}";

  @TempDir Path dir;

  private UpdateNormaliser normaliser(String telegramYaml) throws Exception {
    Files.writeString(dir.resolve("config.yaml"), "messaging:\n  telegram:\n    token: \"1:x\"\n" + telegramYaml
        + "bindings:\n  - platform: telegram\n    chat_id: \"-100500\"\n    agent_id: main\n    require_mention: true\n"
        + "    authority: [\"42\"]\n");
    SpacebotConfig config = new ConfigLoader(Map.of("SPACEBOT_DIR", dir.toString())).load(null);
    return new UpdateNormaliser(config.messaging().telegram(), new Bindings(config), new BotIdentity(BOT, "SpaceBot"));
  }

  private UpdateNormaliser normaliser() throws Exception {
    return normaliser("");
  }

  private static Update update(String json) throws Exception {
    return TelegramApi.MAPPER.readValue(json, Update.class);
  }

  private static String message(int id, String from, String chat, String rest) {
    return "{\"update_id\":900,\"message\":{\"message_id\":" + id + ",\"from\":" + from + ",\"chat\":" + chat
        + ",\"date\":1767225600" + rest + "}}";
  }

  private static InboundMessage inbound(Normalised n) {
    assertThat(n).isInstanceOf(Normalised.Inbound.class);
    return ((Normalised.Inbound) n).message();
  }

  @Test
  void aPrivateMessageIsDirectWithTheSendersIdentity() throws Exception {
    InboundMessage m = inbound(normaliser().normalise(update(message(11, ADA, DM, ",\"text\":\"hello there\""))));

    assertThat(m.platform()).isEqualTo("telegram");
    assertThat(m.conversationId()).isEqualTo("telegram:42");
    assertThat(m.platformMessageId()).isEqualTo("11");
    assertThat(m.senderId()).isEqualTo("42");
    assertThat(m.senderName()).isEqualTo("Ada Lovelace");
    assertThat(m.text()).isEqualTo("hello there");
    assertThat(m.timestamp()).isEqualTo(1767225600_000L);
    assertThat(m.agentId()).isEqualTo("main");
    assertThat(m.addressing().direct()).isTrue();
    assertThat(m.metadata().getLong("chat_id")).isEqualTo(42L);
    assertThat(m.metadata().getInteger("update_id")).isEqualTo(900);
    assertThat(m.replyTo()).isNull();
  }

  @Test
  void aGroupMessageFollowsItsBindingAndIsNotAMentionByItself() throws Exception {
    InboundMessage m = inbound(normaliser().normalise(update(message(12, ADA, GROUP, ",\"text\":\"anyone around?\""))));

    assertThat(m.conversationId()).isEqualTo("telegram:-100500");
    assertThat(m.addressing().direct()).isFalse();
    assertThat(m.addressing().mentionsBot()).isFalse();
    assertThat(m.addressing().requireMention()).isTrue();
    assertThat(m.addressing().responseMode()).isEqualTo(Addressing.ACTIVE);
    assertThat(m.addressing().authority()).isTrue();
    assertThat(m.metadata().getString("chat_title")).isEqualTo("Engines");
  }

  @Test
  void aGroupNoBindingNamesTakesTheDefaultGroupMode() throws Exception {
    String other = "{\"id\":-100999,\"type\":\"group\",\"title\":\"Other\"}";
    InboundMessage m = inbound(normaliser().normalise(update(message(3, ADA, other, ",\"text\":\"hi\""))));

    assertThat(m.addressing().responseMode()).isEqualTo(Addressing.MENTION_ONLY);
    assertThat(m.addressing().authority()).isFalse();
  }

  @Test
  void aMentionEntityOfOurNameAddressesTheBotInAnyCase() throws Exception {
    String text = ",\"text\":\"hey @spacebot what now\",\"entities\":[{\"type\":\"mention\",\"offset\":4,\"length\":9}]";
    assertThat(inbound(normaliser().normalise(update(message(13, ADA, GROUP, text)))).addressing().mentionsBot()).isTrue();

    String otherBot = ",\"text\":\"hey @otherbot\",\"entities\":[{\"type\":\"mention\",\"offset\":4,\"length\":9}]";
    assertThat(inbound(normaliser().normalise(update(message(14, ADA, GROUP, otherBot)))).addressing().mentionsBot())
        .isFalse();
  }

  @Test
  void aMentionAfterAnEmojiIsFoundByUtf16Offsets() throws Exception {
    // 🚀 is two UTF-16 code units: Telegram's offset 3 points at the @.
    String text = ",\"text\":\"🚀 @SpaceBot go\",\"entities\":[{\"type\":\"mention\",\"offset\":3,\"length\":9}]";
    assertThat(inbound(normaliser().normalise(update(message(15, ADA, GROUP, text)))).addressing().mentionsBot()).isTrue();
  }

  @Test
  void aTextMentionOfOurIdAddressesTheBot() throws Exception {
    String text = ",\"text\":\"Space, look\",\"entities\":[{\"type\":\"text_mention\",\"offset\":0,\"length\":5,\"user\":" + US + "}]";
    assertThat(inbound(normaliser().normalise(update(message(16, ADA, GROUP, text)))).addressing().mentionsBot()).isTrue();
  }

  @Test
  void aReplyToOurMessageAddressesTheBotAndNamesTheMessage() throws Exception {
    String reply = ",\"text\":\"yes, that one\",\"reply_to_message\":{\"message_id\":77,\"from\":" + US + ",\"chat\":" + GROUP
        + ",\"date\":1767225500,\"text\":\"which one?\"}";
    InboundMessage m = inbound(normaliser().normalise(update(message(17, ADA, GROUP, reply))));

    assertThat(m.addressing().mentionsBot()).isTrue();
    assertThat(m.replyTo()).isEqualTo("77");

    String toSomeoneElse = reply.replace(US, "{\"id\":5,\"is_bot\":false,\"first_name\":\"Bo\"}");
    InboundMessage other = inbound(normaliser().normalise(update(message(18, ADA, GROUP, toSomeoneElse))));
    assertThat(other.addressing().mentionsBot()).isFalse();
    assertThat(other.replyTo()).isEqualTo("77");
  }

  @Test
  void aForumTopicIsItsOwnConversationAndItsRootIsNoReply() throws Exception {
    String root = "{\"message_id\":5,\"from\":" + US + ",\"chat\":" + FORUM + ",\"date\":1767225000,"
        + "\"message_thread_id\":5,\"forum_topic_created\":{\"name\":\"Builds\",\"icon_color\":7322096}}";
    String inTopic = ",\"text\":\"the build broke\",\"message_thread_id\":5,\"is_topic_message\":true,\"reply_to_message\":" + root;
    InboundMessage m = inbound(normaliser().normalise(update(message(19, ADA, FORUM, inTopic))));

    assertThat(m.conversationId()).isEqualTo("telegram:-100600:5");
    assertThat(m.metadata().getInteger("thread_id")).isEqualTo(5);
    assertThat(m.replyTo()).isNull();
    assertThat(m.addressing().mentionsBot()).isFalse();
  }

  @Test
  void aReplyThreadOutsideAForumStaysInTheChat() throws Exception {
    String thread = ",\"text\":\"agreed\",\"message_thread_id\":40";
    assertThat(inbound(normaliser().normalise(update(message(20, ADA, GROUP, thread)))).conversationId())
        .isEqualTo("telegram:-100500");
  }

  @Test
  void aCommandForUsLosesOurNameAndOneForAnotherBotIsIgnored() throws Exception {
    InboundMessage m = inbound(normaliser().normalise(update(message(21, ADA, GROUP, ",\"text\":\"/model@SpaceBot gpt-x\""))));
    assertThat(m.text()).isEqualTo("/model gpt-x");
    assertThat(m.addressing().mentionsBot()).isTrue();

    assertThat(inbound(normaliser().normalise(update(message(22, ADA, GROUP, ",\"text\":\"/status\"")))).text())
        .isEqualTo("/status");
    assertThat(normaliser().normalise(update(message(23, ADA, GROUP, ",\"text\":\"/status@OtherBot\""))))
        .isInstanceOf(Normalised.Ignored.class);
  }

  @Test
  void ourOwnMessagesAndOtherBotsAreIgnored() throws Exception {
    assertThat(normaliser().normalise(update(message(24, US, GROUP, ",\"text\":\"echo\""))))
        .isInstanceOf(Normalised.Ignored.class);
    String otherBot = "{\"id\":9,\"is_bot\":true,\"first_name\":\"Other\"}";
    assertThat(normaliser().normalise(update(message(25, otherBot, GROUP, ",\"text\":\"beep\""))))
        .isInstanceOf(Normalised.Ignored.class);
    assertThat(normaliser("    ignore_bots: false\n").normalise(update(message(26, otherBot, GROUP, ",\"text\":\"beep\""))))
        .isInstanceOf(Normalised.Inbound.class);
    assertThat(normaliser("    ignore_bots: false\n").normalise(update(message(27, US, GROUP, ",\"text\":\"echo\""))))
        .isInstanceOf(Normalised.Ignored.class);
  }

  @Test
  void chatAndPrivateChatFiltersApply() throws Exception {
    UpdateNormaliser onlyEngines = normaliser("    allowed_chats: [\"-100500\"]\n    allowed_dm_users: [\"7\"]\n");
    String other = "{\"id\":-100999,\"type\":\"group\",\"title\":\"Other\"}";
    assertThat(onlyEngines.normalise(update(message(28, ADA, other, ",\"text\":\"hi\""))))
        .isInstanceOf(Normalised.Ignored.class);
    assertThat(onlyEngines.normalise(update(message(29, ADA, GROUP, ",\"text\":\"hi\""))))
        .isInstanceOf(Normalised.Inbound.class);
    assertThat(onlyEngines.normalise(update(message(30, ADA, DM, ",\"text\":\"hi\""))))
        .isInstanceOf(Normalised.Ignored.class);
    assertThat(normaliser("    dm_allowed: false\n").normalise(update(message(31, ADA, DM, ",\"text\":\"hi\""))))
        .isInstanceOf(Normalised.Ignored.class);
  }

  @Test
  void anAnonymousAdminSpeaksAsTheGroupAndIsNoBot() throws Exception {
    String placeholder = "{\"id\":1087968824,\"is_bot\":true,\"first_name\":\"Group\",\"username\":\"GroupAnonymousBot\"}";
    InboundMessage m = inbound(normaliser().normalise(update(message(32, placeholder, GROUP,
        ",\"sender_chat\":" + GROUP + ",\"text\":\"announcement\""))));
    assertThat(m.senderId()).isEqualTo("-100500");
    assertThat(m.senderName()).isEqualTo("Engines");
  }

  @Test
  void anEditedMessageBecomesAnEdit() throws Exception {
    String json = "{\"update_id\":901,\"edited_message\":{\"message_id\":11,\"from\":" + ADA + ",\"chat\":" + DM
        + ",\"date\":1767225600,\"edit_date\":1767225660,\"text\":\"hello again\"}}";
    Normalised n = normaliser().normalise(update(json));

    assertThat(n).isInstanceOf(Normalised.Edit.class);
    var edit = ((Normalised.Edit) n).edit();
    assertThat(edit.conversationId()).isEqualTo("telegram:42");
    assertThat(edit.platformMessageId()).isEqualTo("11");
    assertThat(edit.text()).isEqualTo("hello again");
    assertThat(edit.deleted()).isFalse();
    assertThat(edit.timestamp()).isEqualTo(1767225660_000L);
  }

  @Test
  void aButtonClickIsAMessageOfTheSameConversation() throws Exception {
    String json = "{\"update_id\":902,\"callback_query\":{\"id\":\"4411\",\"from\":" + ADA + ",\"chat_instance\":\"x\","
        + "\"data\":\"deploy-now\",\"message\":{\"message_id\":80,\"from\":" + US + ",\"chat\":" + GROUP
        + ",\"date\":1767225600,\"text\":\"Deploy?\"}}}";
    Normalised n = normaliser().normalise(update(json));

    assertThat(n).isInstanceOf(Normalised.Click.class);
    Normalised.Click click = (Normalised.Click) n;
    assertThat(click.callbackQueryId()).isEqualTo("4411");
    InboundMessage m = click.message();
    assertThat(m.conversationId()).isEqualTo("telegram:-100500");
    assertThat(m.text()).isEqualTo("[clicked button \"deploy-now\" on message 80]");
    assertThat(m.platformMessageId()).isEqualTo("cb:4411");
    assertThat(m.replyTo()).isEqualTo("80");
    assertThat(m.addressing().mentionsBot()).isTrue();
    assertThat(m.senderId()).isEqualTo("42");
  }

  @Test
  void aPhotoWithACaptionKeepsTheCaptionAndTheLargestSize() throws Exception {
    String photo = ",\"caption\":\"@SpaceBot what is this?\",\"caption_entities\":[{\"type\":\"mention\",\"offset\":0,\"length\":9}],"
        + "\"photo\":[{\"file_id\":\"small\",\"file_unique_id\":\"s\",\"width\":90,\"height\":60,\"file_size\":1200},"
        + "{\"file_id\":\"large\",\"file_unique_id\":\"l\",\"width\":1280,\"height\":853,\"file_size\":98000}]";
    Normalised.Inbound n = (Normalised.Inbound) normaliser().normalise(update(message(33, ADA, GROUP, photo)));

    assertThat(n.message().text()).isEqualTo("@SpaceBot what is this?");
    assertThat(n.message().addressing().mentionsBot()).isTrue();
    assertThat(n.files()).containsExactly(new Normalised.FileRef("large", "photo.jpg", "image/jpeg", 98000));
  }

  @Test
  void documentsVoiceAudioAndVideoAreFiles() throws Exception {
    String doc = ",\"document\":{\"file_id\":\"d1\",\"file_unique_id\":\"d\",\"file_name\":\"notes.txt\",\"mime_type\":\"text/plain\",\"file_size\":12}";
    assertThat(((Normalised.Inbound) normaliser().normalise(update(message(34, ADA, DM, doc)))).files())
        .containsExactly(new Normalised.FileRef("d1", "notes.txt", "text/plain", 12));
    String voice = ",\"voice\":{\"file_id\":\"v1\",\"file_unique_id\":\"v\",\"duration\":3,\"mime_type\":\"audio/ogg\",\"file_size\":4000}";
    assertThat(((Normalised.Inbound) normaliser().normalise(update(message(35, ADA, DM, voice)))).files())
        .containsExactly(new Normalised.FileRef("v1", "voice.ogg", "audio/ogg", 4000));
    String video = ",\"video\":{\"file_id\":\"m1\",\"file_unique_id\":\"m\",\"width\":1,\"height\":1,\"duration\":3}";
    assertThat(((Normalised.Inbound) normaliser().normalise(update(message(36, ADA, DM, video)))).files())
        .containsExactly(new Normalised.FileRef("m1", "video.mp4", "video/mp4", -1));
  }

  @Test
  void serviceMessagesAndOtherUpdatesAreIgnored() throws Exception {
    assertThat(normaliser().normalise(update(message(37, ADA, GROUP, ",\"new_chat_members\":[" + ADA + "]"))))
        .isInstanceOf(Normalised.Ignored.class);
    assertThat(normaliser().normalise(update("{\"update_id\":903,\"poll\":{\"id\":\"p\",\"question\":\"q\",\"options\":[],"
        + "\"total_voter_count\":0,\"is_closed\":false,\"is_anonymous\":true,\"type\":\"regular\",\"allows_multiple_answers\":false}}")))
        .isInstanceOf(Normalised.Ignored.class);
  }

  @Test
  void conversationIdsParseBack() {
    assertThat(TelegramChat.parse("telegram:-100600:5")).isEqualTo(new TelegramChat(-100600, 5));
    assertThat(TelegramChat.parse("telegram:42")).isEqualTo(new TelegramChat(42, null));
    assertThat(TelegramChat.parse("telegram:42").isPrivate()).isTrue();
    assertThat(TelegramChat.parse("telegram:-100600:5").isPrivate()).isFalse();
  }

  @Test
  void attachmentNamesStayOneSafePathSegment() {
    assertThat(AttachmentFetcher.safeName("../../etc/passwd")).isEqualTo("_.._etc_passwd");
    assertThat(AttachmentFetcher.safeName("Q3 report (final).pdf")).isEqualTo("Q3_report__final_.pdf");
    assertThat(AttachmentFetcher.safeName("...")).isEqualTo("file");
    assertThat(AttachmentFetcher.safeName("x".repeat(300) + ".txt")).hasSize(100).endsWith(".txt");
  }
}
