package ai.spacebot.bench.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Guards the retrieval-quality dataset: the benchmark's numbers mean nothing if these slip. */
class ConversationCorpusTest {
  private static CorpusSpec spec;
  private static Corpus corpus;

  @BeforeAll
  static void generate() throws Exception {
    spec = CorpusSpec.load(Path.of("bench/data/retrieval-quality-topics.txt"));
    corpus = ConversationCorpus.generate(spec, ConversationCorpus.DEFAULT_SEED);
  }

  @Test
  void theSameSeedGivesTheSameCorpus() {
    assertThat(ConversationCorpus.generate(spec, ConversationCorpus.DEFAULT_SEED)).isEqualTo(corpus);
  }

  @Test
  void aboutFortyConversationsOfSixtyMessagesAndThreeHundredBalancedQuestions() {
    assertThat(corpus.messages().stream().map(Corpus.Message::conversation).distinct().count()).isEqualTo(40);
    assertThat(corpus.messages()).hasSizeBetween(2200, 2600);
    assertThat(corpus.questions()).hasSize(300);
    Map<QuestionKind, Long> kinds = corpus.questions().stream().collect(Collectors.groupingBy(Corpus.Question::kind, Collectors.counting()));
    assertThat(kinds.values()).allSatisfy(n -> assertThat(n).isBetween(90L, 110L));
    assertThat(corpus.questions().stream().filter(q -> q.evidence().size() > 1).count()).isGreaterThan(20);
  }

  @Test
  void everyQuestionNamesEvidenceMessagesOfItsOwnConversation() {
    Map<String, Corpus.Message> byId = corpus.messages().stream().collect(Collectors.toMap(Corpus.Message::id, Function.identity()));
    assertThat(byId).hasSize(corpus.messages().size());
    for (Corpus.Question q : corpus.questions()) {
      assertThat(q.evidence()).isNotEmpty().doesNotHaveDuplicates();
      assertThat(q.evidence()).allSatisfy(id -> {
        assertThat(byId.get(id).role()).isEqualTo("evidence");
        assertThat(byId.get(id).conversation()).isEqualTo(q.conversation());
      });
    }
    assertThat(corpus.questions().stream().map(Corpus.Question::text)).doesNotHaveDuplicates();
  }

  @Test
  void paraphrasesShareNoContentWordAndLexicalQuestionsShareSeveral() {
    assertThat(corpus.questions()).filteredOn(q -> q.kind() == QuestionKind.PARAPHRASE)
        .allSatisfy(q -> assertThat(q.sharedWords()).isEmpty());
    assertThat(corpus.questions().stream().filter(q -> q.kind() == QuestionKind.LEXICAL)
        .mapToInt(q -> q.sharedWords().size()).average().orElse(0)).isGreaterThan(2);
  }

  @Test
  void wordsSharingAStemCountAsShared() {
    assertThat(WordOverlap.shared("Who has an allergy?", List.of("Dana: I'm allergic to peanuts"))).containsExactly("allergy");
    assertThat(WordOverlap.shared("Who is the winner?", List.of("Dana: the winner is me"))).containsExactly("winner");
    assertThat(WordOverlap.shared("Which days?", List.of("Dana: any day works"))).containsExactly("days");
    assertThat(WordOverlap.shared("Which day?", List.of("Dana: Monday works"))).isEmpty();
  }
}
