package ai.spacebot.memory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.Memory;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryStoreContract;
import ai.spacebot.memory.MemoryType;
import ai.spacebot.memory.RecallQuery;
import ai.spacebot.store.Database;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The memory contract on the embedded backend (SQLite + Lucene), plus its index recovery. */
class EmbeddedMemoryStoreIT extends MemoryStoreContract {
  private static Vertx vertx;
  private static Embeddings embeddings;
  private Path dir;
  private Database db;
  private EmbeddedMemoryStore store;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    embeddings = new Embeddings(vertx); // one model load for the whole class
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("spacebot-memory");
    db = Database.open(vertx, dir.resolve("spacebot.db")).await();
    store = new EmbeddedMemoryStore(vertx, db, embeddings, dir.resolve("lucene"));
  }

  @AfterEach
  void close() {
    store.close().await();
    db.close().await();
  }

  @Override
  protected MemoryStore store() {
    return store;
  }

  @Override
  protected int storedDimensions(String memoryId) {
    return db.reader().preparedQuery("SELECT length(embedding) AS n FROM memories WHERE id = ?").execute(Tuple.of(memoryId))
        .await().iterator().next().getInteger("n") / 4;
  }

  @Test
  void aLostIndexIsRebuiltFromSqlite() throws Exception {
    Memory m = store.save(memory("The VPN certificate expires on the first of March.", MemoryType.FACT)).await().memory();
    store.close().await();
    try (Stream<Path> files = Files.walk(dir.resolve("lucene"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    store = new EmbeddedMemoryStore(vertx, db, embeddings, dir.resolve("lucene"));
    assertThat(store.recall(RecallQuery.hybrid("main", "VPN certificate expiry", 3)).await().get(0).memory().id()).isEqualTo(m.id());
  }

  @Test
  void writesNewerThanTheIndexCommitAreReplayedOnOpen() throws Exception {
    Memory kept = store.save(memory("Backups run nightly at two in the morning.", MemoryType.FACT)).await().memory();
    Memory gone = store.save(memory("The old wiki lives on the intranet server.", MemoryType.FACT)).await().memory();
    store.forget(gone.id()).await();
    store.close().await();
    // An index that committed before any of these writes (as after a crash): it must catch up from SQLite.
    store = new EmbeddedMemoryStore(vertx, db, embeddings, Files.createTempDirectory("lucene-behind"));
    var found = store.recall(RecallQuery.hybrid("main", "nightly backups old wiki intranet", 5)).await();
    assertThat(found.stream().map(s -> s.memory().id())).contains(kept.id()).doesNotContain(gone.id());
  }

  @Test
  void anIndexOfAnOlderFormatIsRebuiltFromSqlite() throws Exception {
    Memory m = store.save(memory("Invoices are approved by the finance lead.", MemoryType.FACT)).await().memory();
    store.close().await();
    // Replace the index with one an older build wrote: other analyser, no format mark, a stray document.
    Path ix = dir.resolve("lucene").resolve("main");
    try (Stream<Path> files = Files.walk(ix)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (var old = new org.apache.lucene.index.IndexWriter(org.apache.lucene.store.FSDirectory.open(ix),
        new org.apache.lucene.index.IndexWriterConfig(new org.apache.lucene.analysis.standard.StandardAnalyzer()))) {
      var doc = new org.apache.lucene.document.Document();
      doc.add(new org.apache.lucene.document.StringField("id", "stray", org.apache.lucene.document.Field.Store.YES));
      doc.add(new org.apache.lucene.document.TextField("content", "approved invoices finance", org.apache.lucene.document.Field.Store.NO));
      old.addDocument(doc);
      old.setLiveCommitData(java.util.Map.of("memory_version", "999999").entrySet());
      old.commit();
    }
    store = new EmbeddedMemoryStore(vertx, db, embeddings, dir.resolve("lucene"));
    var found = store.recall(new RecallQuery("main", "who approves invoices", 5, RecallQuery.Mode.FULLTEXT, null)).await();
    assertThat(found).extracting(r -> r.memory().id()).containsExactly(m.id());
  }
}
