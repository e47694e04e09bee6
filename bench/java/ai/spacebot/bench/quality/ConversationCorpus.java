package ai.spacebot.bench.quality;

import ai.spacebot.bench.quality.CorpusSpec.Conversation;
import ai.spacebot.bench.quality.CorpusSpec.Key;
import ai.spacebot.bench.quality.CorpusSpec.Project;
import ai.spacebot.bench.quality.CorpusSpec.Scope;
import ai.spacebot.bench.quality.CorpusSpec.Topic;
import ai.spacebot.bench.quality.CorpusSpec.Value;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic multi-session chats with planted facts and questions about them. Every topic, row,
 * project and speaker of a fact is used at most once per topic group across the whole corpus, so a
 * question has exactly the evidence it names even though all conversations share one memory.
 * Around each fact sit hard negatives: an earlier superseded statement, a question about the same
 * thing, a message sharing its key words, the same kind of fact about someone else, and small talk
 * by the same people.
 *
 * <p>{@code main} writes the corpus as JSONL: {@code ConversationCorpus [spec] [out.jsonl] [seed]}.
 */
public final class ConversationCorpus {
  static final long DEFAULT_SEED = 42;
  private static final int SESSIONS = 5;
  private static final int MESSAGES = 60;
  private static final double ASK = 0.5;
  private static final double STALE = 0.7;
  private static final double NEAR = 0.8;
  private static final double RIVAL = 0.4;
  /**
   * Share of a conversation's facts drawn from its own scope rather than the shared personal topics:
   * a team channel talks mostly shop; a club has fewer club-only topics, so it leans on personal ones.
   */
  private static final Map<Scope, Double> OWN_SCOPE = Map.of(Scope.WORK, 0.65, Scope.COMMUNITY, 0.4);

  private final CorpusSpec spec;
  private final long seed;
  private final Random random;
  private final Slots.Draws draws;
  private final Set<String> claims = new HashSet<>();
  private final Map<String, Integer> topicUse = new HashMap<>();
  private final Map<QuestionKind, Integer> kindUse = new EnumMap<>(QuestionKind.class);
  private final Map<String, Integer> personUse = new HashMap<>();
  private final List<Corpus.Message> messages = new ArrayList<>();
  private final List<Corpus.Question> questions = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private ConversationCorpus(CorpusSpec spec, long seed) {
    this.spec = spec;
    this.seed = seed;
    this.random = new Random(seed);
    this.draws = new Slots.Draws(spec.pools(), random);
  }

  public static Corpus generate(CorpusSpec spec, long seed) {
    return new ConversationCorpus(spec, seed).build();
  }

  public static void main(String[] args) throws Exception {
    CorpusSpec spec = CorpusSpec.load(Path.of(args.length > 0 ? args[0] : "bench/data/retrieval-quality-topics.txt"));
    Path out = Path.of(args.length > 1 ? args[1] : "target/retrieval-quality.jsonl");
    Corpus corpus = generate(spec, args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED);
    corpus.writeJsonl(out);
    System.out.printf("%d messages, %d questions -> %s%n", corpus.messages().size(), corpus.questions().size(), out);
  }

  private Corpus build() {
    for (int i = 0; i < spec.conversations().size(); i++) {
      conversation(i, spec.conversations().get(i));
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("paraphrase questions sharing words with their evidence (fix the templates):\n  "
          + String.join("\n  ", problems));
    }
    return new Corpus(seed, List.copyOf(messages), List.copyOf(questions));
  }

  /** One fact's bindings before it is placed. */
  private record Instance(Topic topic, String person, String other, String other2, Slots slots, List<String> claims) {}

  /** A message waiting for its place (and so its id). */
  private static final class Pending {
    final String author;
    final String kind;
    final String role;
    final String text;
    String id;

    Pending(String author, String kind, String role, String text) {
      this.author = author;
      this.kind = kind;
      this.role = role;
      this.text = text;
    }
  }

  private record PendingQuestion(String topic, QuestionKind kind, String text, String answer, List<Pending> evidence) {}

  private void conversation(int index, Conversation c) {
    String id = String.format(Locale.ROOT, "c%02d", index + 1);
    List<String> people = participants(5 + random.nextInt(2));
    Timeline sessions = new Timeline(SESSIONS);
    List<PendingQuestion> asked = new ArrayList<>();
    Set<String> usedTopics = new HashSet<>();
    int facts = 7 + index % 2;
    for (int f = 0; f < facts; f++) {
      Instance fact = pick(c, people, usedTopics);
      if (fact == null) {
        break;
      }
      usedTopics.add(fact.topic().name());
      asked.add(plant(fact, c, people, sessions));
      if (!fact.topic().multiPart() && random.nextDouble() < RIVAL) {
        Instance rival = bind(fact.topic(), c, people);
        if (rival != null) {
          claims.addAll(rival.claims());
          sessions.add(random.nextInt(SESSIONS), new Pending(rival.person(), fact.topic().kind(), "rival",
              rival.slots().fill(any(fact.topic().evidence()))));
        }
      }
    }
    smalltalk(c, people, sessions, MESSAGES - 4 + random.nextInt(9));
    sessions.place(id, LocalDate.of(2025, 1, 6).plusDays(8L * index + random.nextInt(6)), random, messages);
    for (PendingQuestion q : asked) {
      List<String> evidenceText = q.evidence().stream().map(p -> p.author + ": " + p.text).toList();
      List<String> shared = WordOverlap.shared(q.text(), evidenceText);
      if (q.kind() == QuestionKind.PARAPHRASE && !shared.isEmpty()) {
        problems.add(q.topic() + ": \"" + q.text() + "\" shares " + shared + " with " + evidenceText);
      }
      questions.add(new Corpus.Question(String.format(Locale.ROOT, "q%03d", questions.size() + 1), id, q.topic(), q.kind(), q.text(),
          q.answer(), q.evidence().stream().map(p -> p.id).toList(), shared));
    }
  }

  /** The least used people, so every name recurs in several conversations (same person, other topic). */
  private List<String> participants(int n) {
    List<String> all = new ArrayList<>(spec.pools().get("people"));
    Collections.shuffle(all, random);
    all.sort(Comparator.comparingInt(p -> personUse.getOrDefault(p, 0)));
    List<String> chosen = List.copyOf(all.subList(0, n));
    chosen.forEach(p -> personUse.merge(p, 1, Integer::sum));
    return chosen;
  }

  /** The least used topic of the preferred scope that still has a free row, project and speaker here. */
  private Instance pick(Conversation c, List<String> people, Set<String> usedTopics) {
    Scope preferred = random.nextDouble() < OWN_SCOPE.getOrDefault(c.scope(), 0.5) ? c.scope() : Scope.ANY;
    List<Topic> candidates = new ArrayList<>(spec.topics().stream()
        .filter(t -> (t.scope() == Scope.ANY || t.scope() == c.scope()) && !usedTopics.contains(t.name())).toList());
    Collections.shuffle(candidates, random);
    candidates.sort(Comparator.<Topic>comparingInt(t -> t.scope() == preferred ? 0 : 1)
        .thenComparingInt(t -> topicUse.getOrDefault(t.name(), 0)));
    for (Topic t : candidates) {
      Instance fact = bind(t, c, people);
      if (fact != null) {
        claims.addAll(fact.claims());
        topicUse.merge(t.name(), 1, Integer::sum);
        return fact;
      }
    }
    return null;
  }

  private Instance bind(Topic t, Conversation c, List<String> people) {
    String group = t.group();
    List<String> free = new ArrayList<>(people.stream().filter(p -> !claims.contains(group + "|person|" + p)).toList());
    if (free.isEmpty()) {
      return null;
    }
    Collections.shuffle(free, random);
    String person = free.get(0);
    List<String> others = new ArrayList<>(people.stream().filter(p -> !p.equals(person)).toList());
    Collections.shuffle(others, random);
    List<String> taken = new ArrayList<>(List.of(group + "|person|" + person));

    List<Project> projects = c.projects();
    if (t.key() == Key.PROJECT) {
      projects = projects.stream().filter(p -> !claims.contains(group + "|project|" + p.name())).toList();
      if (projects.isEmpty()) {
        return null;
      }
    }
    Project project = projects.get(random.nextInt(projects.size()));
    if (t.key() == Key.PROJECT) {
      taken.add(group + "|project|" + project.name());
    }
    Slots slots = new Slots(random, draws).bind("person", person).bind("other", others.get(0)).bind("other2", others.get(1))
        .bind("project", project.name()).bind("project.desc", project.desc()).bind("project~", project.alt());

    if (t.key() == Key.ROW) {
      List<Integer> rows = new ArrayList<>();
      for (int r = 0; r < t.rows().size(); r++) {
        if (!claims.contains(group + "|row|" + r)) {
          rows.add(r);
        }
      }
      if (rows.isEmpty()) {
        return null;
      }
      int row = rows.get(random.nextInt(rows.size()));
      taken.add(group + "|row|" + row);
      List<Value> values = t.rows().get(row);
      for (int f = 0; f < t.fields().size(); f++) {
        String field = t.fields().get(f);
        slots.bind(field, slots.fill(values.get(f).text()));
        if (values.get(f).alt() != null) {
          slots.bind(field + "~", values.get(f).alt());
        }
      }
    }
    return new Instance(t, person, others.get(0), others.get(1), slots, taken);
  }

  private PendingQuestion plant(Instance fact, Conversation c, List<String> people, Timeline sessions) {
    Topic t = fact.topic();
    Slots s = fact.slots();
    List<Pending> evidence = new ArrayList<>();
    if (!t.multiPart()) {
      int session = random.nextInt(SESSIONS);
      List<Pending> block = new ArrayList<>();
      if (!t.asks().isEmpty() && random.nextDouble() < ASK) {
        block.add(new Pending(fact.other2(), "observation", "ask", s.fill(any(t.asks()))));
      }
      Pending stated = new Pending(fact.person(), t.kind(), "evidence", s.fill(any(t.evidence())));
      block.add(stated);
      acks(block, fact.person(), people);
      sessions.add(session, block);
      evidence.add(stated);
      if (!t.stale().isEmpty() && session > 0 && random.nextDouble() < STALE) {
        sessions.add(random.nextInt(session), new Pending(fact.other(), t.kind(), "stale", s.fill(any(t.stale()))));
      }
    } else {
      List<String> authors = List.of(fact.person(), fact.other(), fact.other2());
      int[] at = new int[t.parts().size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = random.nextInt(SESSIONS);
      }
      Arrays.sort(at);
      for (int i = 0; i < at.length; i++) {
        List<Pending> block = new ArrayList<>();
        if (i == 0 && !t.asks().isEmpty() && random.nextDouble() < ASK) {
          List<String> bystanders = people.stream().filter(p -> !authors.contains(p)).toList();
          block.add(new Pending(bystanders.get(random.nextInt(bystanders.size())), "observation", "ask", s.fill(any(t.asks()))));
        }
        Pending part = new Pending(authors.get(i), t.kind(), "evidence", s.fill(t.parts().get(i)));
        block.add(part);
        acks(block, authors.get(i), people);
        sessions.add(at[i], block);
        evidence.add(part);
      }
    }
    if (!t.nears().isEmpty() && random.nextDouble() < NEAR) {
      List<String> others = people.stream().filter(p -> !p.equals(fact.person())).toList();
      sessions.add(random.nextInt(SESSIONS), new Pending(others.get(random.nextInt(others.size())), "observation", "near",
          s.fill(any(t.nears()))));
    }
    QuestionKind kind = kind(t);
    return new PendingQuestion(t.name(), kind, s.fill(any(t.questions().get(kind))), s.fill(t.answer()), evidence);
  }

  /** The kind asked least so far among those the topic supports, so the kinds stay balanced. */
  private QuestionKind kind(Topic t) {
    List<QuestionKind> kinds = new ArrayList<>(t.kinds());
    Collections.shuffle(kinds, random);
    kinds.sort(Comparator.comparingInt(k -> kindUse.getOrDefault(k, 0)));
    kindUse.merge(kinds.get(0), 1, Integer::sum);
    return kinds.get(0);
  }

  private void acks(List<Pending> block, String speaker, List<String> people) {
    int n = random.nextDouble() < 0.5 ? (random.nextDouble() < 0.3 ? 2 : 1) : 0;
    List<String> others = new ArrayList<>(people.stream().filter(p -> !p.equals(speaker)).toList());
    Collections.shuffle(others, random);
    for (int i = 0; i < n; i++) {
      block.add(new Pending(others.get(i), "observation", "ack", new Slots(random, draws).bind("person", speaker).fill(any(spec.acks()))));
    }
  }

  private void smalltalk(Conversation c, List<String> people, Timeline sessions, int target) {
    Set<String> said = new HashSet<>();
    int count = sessions.size();
    List<String> scoped = spec.smalltalk().get(c.scope().name().toLowerCase(Locale.ROOT));
    for (int attempt = 0; count < target && attempt < target * 20; attempt++) {
      String author = people.get(random.nextInt(people.size()));
      List<String> others = people.stream().filter(p -> !p.equals(author)).toList();
      String text = new Slots(random, draws).bind("other", others.get(random.nextInt(others.size())))
          .bind("project", c.projects().get(random.nextInt(c.projects().size())).name())
          .fill(any(random.nextDouble() < 0.8 ? scoped : spec.smalltalk().get("any")));
      if (said.add(text)) {
        sessions.add(random.nextInt(SESSIONS), new Pending(author, "observation", "smalltalk", text));
        count++;
      }
    }
  }

  /**
   * A conversation's sessions, each a list of blocks: a block (an ask, its answer and the acks after
   * it) stays together when the session is shuffled.
   */
  private static final class Timeline {
    private final List<List<List<Pending>>> sessions = new ArrayList<>();

    Timeline(int count) {
      for (int s = 0; s < count; s++) {
        sessions.add(new ArrayList<>());
      }
    }

    void add(int session, List<Pending> block) {
      sessions.get(session).add(block);
    }

    void add(int session, Pending message) {
      List<Pending> block = new ArrayList<>();
      block.add(message);
      add(session, block);
    }

    int size() {
      return sessions.stream().mapToInt(s -> s.stream().mapToInt(List::size).sum()).sum();
    }

    /** Shuffles each session's blocks, numbers the messages and dates the sessions a few days apart. */
    void place(String conversation, LocalDate start, Random random, List<Corpus.Message> out) {
      LocalDate date = start;
      int n = 0;
      for (int s = 0; s < sessions.size(); s++) {
        List<List<Pending>> blocks = sessions.get(s);
        Collections.shuffle(blocks, random);
        for (List<Pending> block : blocks) {
          for (Pending p : block) {
            p.id = String.format(Locale.ROOT, "%s-m%03d", conversation, ++n);
            out.add(new Corpus.Message(p.id, conversation, s + 1, date.toString(), p.author, p.kind, p.role, p.text));
          }
        }
        date = date.plusDays(1 + random.nextInt(7));
      }
    }
  }

  private String any(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
