package ai.spacebot.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.langchain4j.model.openai.internal.chat.AssistantMessage;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.Message;
import dev.langchain4j.model.openai.internal.chat.SystemMessage;
import dev.langchain4j.model.openai.internal.chat.UserMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Size and serialising time of one channel request (a 1.8 KB system prompt and 200 history messages,
 * LangChain4j's own OpenAI request classes) written as LangChain4j writes it (indented) and as
 * {@code CompactRequestJson} makes it write (compact).
 *
 * <p>Usage: {@code java -cp target/classes:target/test-classes:<test classpath> ai.spacebot.bench.RequestJsonBench [calls=5000]}
 */
public final class RequestJsonBench {
  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    List<Message> messages = new ArrayList<>();
    messages.add(SystemMessage.from("You are Spacebot, an agent who lives in a chat. ".repeat(36)));
    for (int i = 0; i < 100; i++) {
      messages.add(UserMessage.from("[Jo] message number " + i + " with a few ordinary words in it"));
      messages.add(AssistantMessage.from("a reply of ordinary length, number " + i));
    }
    ChatCompletionRequest request = ChatCompletionRequest.builder().model("gpt-4.1-mini").messages(messages)
        .stream(true).build();
    ObjectMapper indented = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    ObjectMapper compact = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    long sink = 0;
    for (int round = 0; round < 2; round++) { // the first round warms up
      for (ObjectMapper mapper : List.of(indented, compact)) {
        long start = System.nanoTime();
        int bytes = 0;
        for (int i = 0; i < calls; i++) {
          bytes = mapper.writeValueAsString(request).length();
          sink += bytes;
        }
        double micros = (System.nanoTime() - start) / 1e3 / calls;
        if (round == 1) {
          System.out.printf("%-8s %6d bytes  %6.1f µs per request%n", mapper == indented ? "indented" : "compact",
              bytes, micros);
        }
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
