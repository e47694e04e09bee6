package ai.spacebot.llm.routing;

import static ai.spacebot.llm.routing.ComplexityScorer.HEAVY;
import static ai.spacebot.llm.routing.ComplexityScorer.LIGHT;
import static ai.spacebot.llm.routing.ComplexityScorer.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scorer on real-looking messages. Decided here (and in the scorer's doc): a short factual question
 * such as "what's the capital of France" is light; explanation and comparison questions are standard;
 * pasted code, stack traces, proofs and multi-step plans are heavy.
 */
class ComplexityScorerTest {
  private static final String JAVA_CLASS = """
      Can you refactor this Java class so it uses constructor injection instead of the static lookup?
      ```java
      public class OrderService {
        private final OrderRepository repo = Registry.lookup(OrderRepository.class);
        public Order placeOrder(Cart cart) {
          Order order = Order.from(cart);
          repo.save(order);
          return order;
        }
      }
      ```""";
  private static final String JAVA_TRACE = """
      Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
      \tat com.acme.billing.InvoiceFormatter.format(InvoiceFormatter.java:42)
      \tat com.acme.billing.InvoiceService.send(InvoiceService.java:88)
      \tat com.acme.Main.main(Main.java:12)""";
  private static final String PYTHON_TRACE = """
      Traceback (most recent call last):
        File "app.py", line 14, in <module>
          main()
        File "app.py", line 9, in main
          total = sum(prices) / len(prices)
      ZeroDivisionError: division by zero""";
  private static final String BARE_FRAMES = """
      got this in prod, any idea?
          at Object.<anonymous> (/srv/app/server.js:27:11)
          at Module._compile (node:internal/modules/cjs/loader:1256:14)
          at Module.load (node:internal/modules/cjs/loader:1119:32)""";
  private static final String PLAN = """
      I need to move our blog from WordPress to a static site. First export all the posts and images, \
      then convert them to Markdown, then set up Hugo with a theme close to the current one, and finally \
      configure the redirects so old links keep working.""";
  private static final String NUMBERED = """
      Here's what I need for the launch:
      1. Draft the announcement email for customers
      2. Write a short changelog for the docs
      3. Prepare three tweets
      4. Schedule all of it for Tuesday 9am""";
  private static final String ESSAY = ("Our town has argued about the old railway bridge for years. Some people want it restored "
      + "because it reminds them of how the valley grew, while others say the money should go to the school and the clinic. "
      + "I grew up walking across it every morning, and I still remember the sound of the planks. ").repeat(12);
  private static final String LONG_STORY = ("We went to the lake on Saturday and the weather was lovely, the kids swam all "
      + "afternoon and we had a picnic under the big willow tree near the boat house. ").repeat(3);

  static Stream<Arguments> messages() {
    return Stream.of(
        // chit-chat → light
        Arguments.of("hi", LIGHT),
        Arguments.of("Hello there!", LIGHT),
        Arguments.of("thanks a lot, that worked 🙏", LIGHT),
        Arguments.of("lol", LIGHT),
        Arguments.of("hahaha that's great", LIGHT),
        Arguments.of("😂😂😂", LIGHT),
        Arguments.of("👍", LIGHT),
        Arguments.of("good morning everyone", LIGHT),
        Arguments.of("ok cool, see you tomorrow", LIGHT),
        Arguments.of("I'm heading out for lunch", LIGHT),
        // short factual questions → light
        Arguments.of("what's the capital of France", LIGHT),
        Arguments.of("What's the capital of France?", LIGHT),
        Arguments.of("who wrote Pride and Prejudice?", LIGHT),
        Arguments.of("when does the office open on Saturdays?", LIGHT),
        Arguments.of("Is it going to rain in Berlin tomorrow?", LIGHT),
        // questions asking for reasoning → standard
        Arguments.of("Can you explain how TCP congestion control works?", STANDARD),
        Arguments.of("What's the difference between a mutex and a semaphore?", STANDARD),
        Arguments.of("Why is the sky blue and why are sunsets red?", STANDARD),
        Arguments.of("Should I use PostgreSQL or MongoDB for a small inventory app? What are the trade-offs?", STANDARD),
        Arguments.of("How do I undo my last git commit but keep the changes?", STANDARD),
        Arguments.of("calculate 15% of 240", STANDARD),
        Arguments.of("what is 17 * 23?", STANDARD),
        Arguments.of("Write a Python function that checks whether a string is a palindrome", STANDARD),
        Arguments.of("Summarise this for me: " + LONG_STORY, STANDARD),
        Arguments.of(ESSAY, STANDARD),
        // heavy
        Arguments.of(JAVA_CLASS, HEAVY),
        Arguments.of(JAVA_TRACE, HEAVY),
        Arguments.of(PYTHON_TRACE, HEAVY),
        Arguments.of(BARE_FRAMES, HEAVY),
        Arguments.of(PLAN, HEAVY),
        Arguments.of(NUMBERED, HEAVY),
        Arguments.of("Explain step by step how to set up a Kubernetes cluster with kubectl and deploy a Postgres database", HEAVY),
        Arguments.of("Prove that the square root of 2 is irrational.", HEAVY),
        Arguments.of("Solve the integral of x^2 * sin(x) dx and show your work step by step", HEAVY),
        Arguments.of("Why does SELECT * FROM orders o LEFT JOIN customers c ON o.customer_id = c.id GROUP BY c.region "
            + "take 30 seconds? The orders table has 40M rows and an index on customer_id.", HEAVY),
        Arguments.of(ESSAY + " What do you think, and how should I argue for the bridge at the council meeting? "
            + "Compare the strongest arguments on both sides.", HEAVY));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("messages")
  void tiers(String message, String tier) {
    ComplexityScorer.Score score = ComplexityScorer.score(message);
    assertThat(score.tier()).as(score.explain()).isEqualTo(tier);
    assertThat(ComplexityScorer.tierFor(message)).isEqualTo(tier);
  }

  @Test
  void explainNamesTierScoreAndEveryFeatureStrongestFirst() {
    ComplexityScorer.Score score = ComplexityScorer.score(JAVA_CLASS);
    assertThat(score.explain()).startsWith("heavy (score " + ComplexityScorer.number(score.score()) + "): code block +3");
    assertThat(score.explain()).contains("coding task +1.5").doesNotContain("\n");
    assertThat(score.features().stream().mapToDouble(ComplexityScorer.Feature::weight).sum()).isEqualTo(score.score());
    assertThat(ComplexityScorer.score("lol").explain()).isEqualTo("light (score -2): chit-chat -2");
    assertThat(ComplexityScorer.score("").explain()).isEqualTo("light (score 0): no features");
  }

  @Test
  void deterministic() {
    for (Arguments a : messages().toList()) {
      String m = (String) a.get()[0];
      ComplexityScorer.Score first = ComplexityScorer.score(m);
      for (int i = 0; i < 3; i++) {
        assertThat(ComplexityScorer.score(m)).isEqualTo(first);
        assertThat(ComplexityScorer.score(new String(m.toCharArray())).explain()).isEqualTo(first.explain());
      }
    }
  }

  @Test
  void edgeCases() {
    assertThat(ComplexityScorer.score((String) null).tier()).isEqualTo(LIGHT);
    assertThat(ComplexityScorer.score("").features()).isEmpty();
    assertThat(ComplexityScorer.score("   \n\t ").tier()).isEqualTo(LIGHT);
    assertThat(ComplexityScorer.score("🎉🎉").explain()).contains("emoji only -2");
    assertThat(ComplexityScorer.score("?!").tier()).isEqualTo(LIGHT);
    // 100 KB of prose: length tops out, it does not run away, and it is not heavy on length alone.
    String big = "the quick brown fox jumps over the lazy dog and runs away. ".repeat(1700);
    assertThat(big.length()).isGreaterThan(100_000);
    ComplexityScorer.Score score = ComplexityScorer.score(big);
    assertThat(score.tier()).isEqualTo(STANDARD);
    assertThat(score.explain()).contains(ComplexityScorer.countWords(big) + " words +2.5");
    // 100 KB of one character (no spaces), and of a repeated stack trace frame.
    assertThat(ComplexityScorer.score("a".repeat(100_000)).tier()).isEqualTo(LIGHT);
    assertThat(ComplexityScorer.score(JAVA_TRACE.repeat(500)).tier()).isEqualTo(HEAVY);
  }

  @Test
  void severalMessagesAreScoredTogether() {
    assertThat(ComplexityScorer.tierFor(List.of("hi", "thanks"))).isEqualTo(LIGHT);
    assertThat(ComplexityScorer.tierFor(List.of("hey!", JAVA_TRACE))).isEqualTo(HEAVY);
    assertThat(ComplexityScorer.score(List.of())).isEqualTo(ComplexityScorer.score(""));
  }

  @Test
  void weightsKeepTheDocumentedAnchors() {
    assertThat(ComplexityScorer.STACK_TRACE).isGreaterThanOrEqualTo(ComplexityScorer.HEAVY_AT);
    assertThat(ComplexityScorer.QUESTION).isLessThan(ComplexityScorer.STANDARD_AT);
    assertThat(ComplexityScorer.MATH + ComplexityScorer.PROOF).isGreaterThanOrEqualTo(ComplexityScorer.HEAVY_AT);
    assertThat(ComplexityScorer.WORDS_300).isLessThan(ComplexityScorer.HEAVY_AT);
  }
}
