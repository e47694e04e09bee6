package ai.spacebot.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.function.UnaryOperator;

/** Shorthand for the specifications every tool writes. */
public final class ToolSpecs {
  private ToolSpecs() {}

  public static ToolSpecification of(String name, String description, UnaryOperator<JsonObjectSchema.Builder> params) {
    return ToolSpecification.builder().name(name).description(description)
        .parameters(params.apply(JsonObjectSchema.builder()).build()).build();
  }
}
