package ai.spacebot.memory.embedded;

import ai.spacebot.memory.MemoryType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * One agent's Lucene index: BM25 over the text and cosine HNSW over the embedding. Blocking: used
 * only from worker threads. SQLite holds the truth; the commit's user data records the highest
 * memory version the index has, so {@link EmbeddedMemoryStore} can replay what a crash left out.
 */
final class LuceneIndex implements AutoCloseable {
  static final String ID = "id";
  static final String TYPE = "type";
  static final String CONTENT = "content";
  static final String VECTOR = "vector";
  private static final String VERSION = "memory_version";
  private static final String FORMAT = "format";
  /**
   * What the documents were analysed with. 1: StandardAnalyzer (no stop words, no stemming); 2:
   * EnglishAnalyzer, as Postgres's english text search does. An index of another format is emptied
   * on open and refilled from SQLite (the embeddings are stored there, so nothing is re-embedded).
   */
  static final String CURRENT_FORMAT = "2";
  static final int KNN_CANDIDATES = 64;
  /** From this many distinct query terms on, a full-text hit must contain at least two of them. */
  static final int MIN_TERMS_FOR_TWO = 3;

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long appliedVersion;
  private volatile boolean dirty;

  LuceneIndex(Path dir) throws IOException {
    Files.createDirectories(dir);
    directory = FSDirectory.open(dir);
    writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
    searchers = new SearcherManager(writer, null);
    Map<String, String> data = writer.getLiveCommitData() == null ? Map.of() : liveData();
    String v = data.get(VERSION);
    appliedVersion = v == null ? 0 : Long.parseLong(v);
    if (!CURRENT_FORMAT.equals(data.get(FORMAT)) && writer.getDocStats().maxDoc > 0) {
      writer.deleteAll();
      appliedVersion = 0;
      dirty = true;
    }
  }

  private Map<String, String> commitData() {
    return Map.of(VERSION, Long.toString(appliedVersion), FORMAT, CURRENT_FORMAT);
  }

  private Map<String, String> liveData() {
    Map<String, String> out = new java.util.HashMap<>();
    writer.getLiveCommitData().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The highest memory version this index is known to contain as of its last commit. */
  long committedVersion() {
    return appliedVersion;
  }

  /** Brackets a write that will reach SQLite first and this index after; commits wait for none in flight. */
  void begin() {
    inFlight.incrementAndGet();
  }

  void end() {
    inFlight.decrementAndGet();
  }

  void upsert(String id, MemoryType type, String content, float[] vector, long version) throws IOException {
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new StringField(TYPE, type.wireName(), Field.Store.NO));
    doc.add(new TextField(CONTENT, content, Field.Store.NO));
    doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
    writer.updateDocument(new Term(ID, id), doc);
    applied(version);
  }

  void delete(String id, long version) throws IOException {
    writer.deleteDocuments(new Term(ID, id));
    applied(version);
  }

  private synchronized void applied(long version) {
    appliedVersion = Math.max(appliedVersion, version);
    dirty = true;
  }

  /** BM25 over the analysed query words; ids best first. */
  List<String> searchText(String query, int n, MemoryType type) throws IOException {
    List<String> words = analyze(query);
    if (words.isEmpty()) {
      return List.of();
    }
    List<String> distinct = words.stream().distinct().toList();
    BooleanQuery.Builder text = new BooleanQuery.Builder();
    for (String w : distinct) {
      text.add(new TermQuery(new Term(CONTENT, w)), BooleanClause.Occur.SHOULD);
    }
    if (distinct.size() >= MIN_TERMS_FOR_TWO) {
      // One shared word out of several is mostly chance; as a fused list it outvoted better vector hits.
      text.setMinimumNumberShouldMatch(2);
    }
    Query q = text.build();
    if (type != null) {
      q = new BooleanQuery.Builder().add(q, BooleanClause.Occur.MUST)
          .add(new TermQuery(new Term(TYPE, type.wireName())), BooleanClause.Occur.FILTER).build();
    }
    return ids(q, n);
  }

  /**
   * Approximate nearest neighbours (HNSW, cosine); ids best first. The graph is searched for at least
   * {@link #KNN_CANDIDATES} candidates and the best n kept: with k = 10 alone, recall@10 against exact
   * search was 0.93 on 10k MiniLM vectors (bench/hnsw-recall.sh).
   */
  List<String> searchVector(float[] vector, int n, MemoryType type) throws IOException {
    Query filter = type == null ? null : new TermQuery(new Term(TYPE, type.wireName()));
    return ids(new KnnFloatVectorQuery(VECTOR, vector, Math.max(n, KNN_CANDIDATES), filter), n);
  }

  private List<String> ids(Query q, int n) throws IOException {
    refreshIfDirty();
    IndexSearcher searcher = searchers.acquire();
    try {
      List<String> out = new ArrayList<>();
      for (ScoreDoc sd : searcher.search(q, n).scoreDocs) {
        out.add(searcher.storedFields().document(sd.doc).get(ID));
      }
      return out;
    } finally {
      searchers.release(searcher);
    }
  }

  private void refreshIfDirty() throws IOException {
    searchers.maybeRefreshBlocking();
  }

  /** Every id in the index (for the sweep after a reindex). */
  java.util.Set<String> allIds() throws IOException {
    searchers.maybeRefreshBlocking();
    IndexSearcher s = searchers.acquire();
    try {
      java.util.Set<String> out = new java.util.HashSet<>();
      var reader = s.getIndexReader();
      var stored = s.storedFields();
      for (org.apache.lucene.index.LeafReaderContext leaf : reader.leaves()) {
        var live = leaf.reader().getLiveDocs();
        for (int d = 0; d < leaf.reader().maxDoc(); d++) {
          if (live == null || live.get(d)) {
            out.add(stored.document(leaf.docBase + d).get(ID));
          }
        }
      }
      return out;
    } finally {
      searchers.release(s);
    }
  }

  int count() throws IOException {
    searchers.maybeRefreshBlocking();
    IndexSearcher s = searchers.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      searchers.release(s);
    }
  }

  /** Commits when something changed and no write is between SQLite and here (see {@link #begin()}). */
  synchronized void commitIfQuiet() throws IOException {
    if (!dirty || inFlight.get() > 0) {
      return;
    }
    writer.setLiveCommitData(commitData().entrySet());
    writer.commit();
    dirty = false;
  }

  List<String> analyze(String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(CONTENT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  static boolean exists(Path dir) {
    try {
      return Files.isDirectory(dir) && DirectoryReader.indexExists(FSDirectory.open(dir));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (inFlight.get() == 0) {
      writer.setLiveCommitData(commitData().entrySet());
    }
    searchers.close();
    writer.close();
    directory.close();
  }
}
