package ai.spacebot.memory;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-process sentence embeddings: all-MiniLM-L6-v2 (384 dimensions) from LangChain4j's embeddings jar,
 * which ships the ONNX model, so nothing is downloaded. Loaded on first use, on a worker thread (the
 * load takes seconds); every embedding runs on a worker thread, never on an event loop.
 */
public final class Embeddings {
  public static final int DIMENSIONS = 384;

  private static final int CACHED = 1024;

  private final Vertx vertx;
  private volatile EmbeddingModel model;
  /**
   * Recent single embeddings by text: a turn often recalls with the same words more than once, and an
   * embedding costs ~5 ms of a core while a hit costs nothing. Vectors are never mutated by callers.
   */
  private final Map<String, float[]> recent = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
      return size() > CACHED;
    }
  });

  public Embeddings(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<float[]> embed(String text) {
    float[] known = recent.get(text);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> {
      float[] v = model().embed(text).content().vector();
      recent.put(text, v);
      return v;
    }, false);
  }

  /** One batch call for many texts (imports, reindexing). */
  public Future<List<float[]>> embedAll(List<String> texts) {
    return vertx.executeBlocking(() -> model().embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
        .map(e -> e.vector()).toList(), false);
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        if (model == null) {
          model = new AllMiniLmL6V2EmbeddingModel();
        }
        m = model;
      }
    }
    return m;
  }

  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
