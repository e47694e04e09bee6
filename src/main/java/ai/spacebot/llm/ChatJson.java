package ai.spacebot.llm;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** Chat messages as bus JSON, in LangChain4j's own serialised form, so a history can cross to another node. */
public final class ChatJson {
  private ChatJson() {}

  public static JsonArray toJson(List<ChatMessage> messages) {
    return new JsonArray(ChatMessageSerializer.messagesToJson(messages));
  }

  public static List<ChatMessage> fromJson(JsonArray json) {
    return json == null || json.isEmpty() ? List.of() : ChatMessageDeserializer.messagesFromJson(json.encode());
  }
}
