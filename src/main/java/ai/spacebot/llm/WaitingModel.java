package ai.spacebot.llm;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * A model whose provider's key waits for the locked secret store. Each call asks the catalog again, so once the
 * store is unlocked the same object (held by a router or a resilience wrapper) reaches the real model.
 */
final class WaitingModel implements StreamingChatModel {
  private final ModelCatalog catalog;
  private final String modelId;
  private final String providerId;

  WaitingModel(ModelCatalog catalog, String modelId, String providerId) {
    this.catalog = catalog;
    this.modelId = modelId;
    this.providerId = providerId;
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    String secret = catalog.waitingFor(providerId);
    if (secret == null) {
      StreamingChatModel real = catalog.streaming(modelId).orElse(null);
      if (real != null && !(real instanceof WaitingModel)) {
        real.chat(request, handler);
        return;
      }
    }
    handler.onError(new WaitingForSecretException("model provider " + providerId + " is waiting for secret "
        + (secret == null ? "(unknown)" : secret) + ": the secret store is locked; an operator can unlock it with "
        + "'spacebot secrets unlock'"));
  }

}
