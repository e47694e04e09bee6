package ai.spacebot.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.LlmConfig;
import ai.spacebot.config.ProviderConfig;
import ai.spacebot.llm.resilience.Failure;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A provider whose key waits for the locked secret store: its calls fail at once, naming the secret, until unlocked. */
class WaitingModelTest {
  @Test
  void aWaitingProvidersModelFailsWithTheSecretAndIsNotRetried() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LlmConfig llm = new LlmConfig(Map.of("main", new ProviderConfig("main", "openai", null, "http://127.0.0.1:9/v1", "m")), 30);
      ModelCatalog catalog = new ModelCatalog(vertx, llm);
      catalog.useProviders(llm, Map.of("main", "MODEL_KEY"));
      StreamingChatModel model = catalog.streaming("main/m").orElseThrow();
      assertThat(model).isInstanceOf(WaitingModel.class);

      CompletableFuture<Throwable> error = new CompletableFuture<>();
      model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build(), new StreamingChatResponseHandler() {
        @Override
        public void onCompleteResponse(ChatResponse response) {
          error.complete(null);
        }

        @Override
        public void onError(Throwable e) {
          error.complete(e);
        }
      });
      Throwable e = error.get(5, TimeUnit.SECONDS);
      assertThat(e).isInstanceOf(WaitingForSecretException.class).hasMessage("model provider main is waiting for secret "
          + "MODEL_KEY: the secret store is locked; an operator can unlock it with 'spacebot secrets unlock'");
      Failure failure = Failure.classify(e);
      assertThat(failure.kind()).isEqualTo(Failure.Kind.WAITING);
      assertThat(failure.brief()).as("what the people read, without a class name").isEqualTo("model provider main is "
          + "waiting for secret MODEL_KEY: the secret store is locked; an operator can unlock it with "
          + "'spacebot secrets unlock'");
      assertThat(failure.retriable()).isFalse();
      assertThat(failure.fallsBack()).isTrue();

      // Unlocked: the catalog builds the real model again.
      LlmConfig keyed = new LlmConfig(Map.of("main", new ProviderConfig("main", "openai", "sk-now", "http://127.0.0.1:9/v1", "m")), 30);
      catalog.useProviders(keyed, Map.of());
      assertThat(catalog.streaming("main/m").orElseThrow()).isNotInstanceOf(WaitingModel.class);
    } finally {
      vertx.close().await();
    }
  }
}
