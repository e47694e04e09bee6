package ai.spacebot.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Field;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LangChain4j's OpenAI and Anthropic clients pretty-print every request body (their internal mappers
 * enable {@code INDENT_OUTPUT}) and offer no setting for it. A channel sends its whole history on every
 * turn, so indentation is a large share of the bytes and of the serialising CPU; providers do not care
 * about whitespace. This turns indentation off once, before the first request. If a later LangChain4j
 * moves those mappers, requests stay correct, only larger, and a debug line says so.
 */
final class CompactRequestJson {
  private static final Logger log = LoggerFactory.getLogger(CompactRequestJson.class);
  private static final List<String> MAPPER_HOLDERS = List.of(
      "dev.langchain4j.model.openai.internal.Json",
      "dev.langchain4j.model.anthropic.internal.client.Json");
  private static volatile boolean applied;

  private CompactRequestJson() {}

  static void apply() {
    if (applied) {
      return;
    }
    synchronized (CompactRequestJson.class) {
      if (applied) {
        return;
      }
      for (String holder : MAPPER_HOLDERS) {
        try {
          Field field = Class.forName(holder).getDeclaredField("OBJECT_MAPPER");
          field.setAccessible(true);
          ((ObjectMapper) field.get(null)).disable(SerializationFeature.INDENT_OUTPUT);
        } catch (ReflectiveOperationException | RuntimeException e) {
          log.debug("Requests through {} stay pretty-printed: {}", holder, e.toString());
        }
      }
      applied = true;
    }
  }
}
