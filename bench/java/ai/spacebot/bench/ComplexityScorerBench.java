package ai.spacebot.bench;

import ai.spacebot.llm.routing.ComplexityScorer;
import java.util.Arrays;
import java.util.List;

/**
 * Time per {@link ComplexityScorer#score(String)} call on 10 KB messages of different shapes (prose,
 * code with a stack trace, a numbered plan) and on 100 KB, after a warm-up. Prints the median and the
 * 99th percentile of single calls. The target is under 1 ms for 10 KB.
 *
 * <p>Usage (after {@code mvn -o -q test-compile}):
 * {@code java -cp target/classes:target/test-classes ai.spacebot.bench.ComplexityScorerBench [calls=20000]}
 */
public final class ComplexityScorerBench {
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    String prose = fill("Our town has argued about the old railway bridge for years, and I still remember the planks. ", 10_240);
    String code = fill("""
        Why does this fail? ```java
        public Order placeOrder(Cart cart) { Order order = Order.from(cart); repo.save(order); return order; }
        ```
        Exception in thread "main" java.lang.NullPointerException
        \tat com.acme.billing.InvoiceFormatter.format(InvoiceFormatter.java:42)
        """, 10_240);
    String plan = fill("1. First export the posts, then convert them to Markdown and deploy the site step by step.\n", 10_240);
    String chat = fill("lol ok 😂 thanks ", 10_240);
    String big = fill("The quick brown fox jumps over the lazy dog and then explains why x^2 + 1 = 5. ", 102_400);
    long sink = 0;
    for (String[] c : List.of(new String[] {"10 KB prose", prose}, new String[] {"10 KB code+trace", code},
        new String[] {"10 KB plan", plan}, new String[] {"10 KB chit-chat", chat}, new String[] {"100 KB prose", big})) {
      String text = c[1];
      int n = text.length() > 50_000 ? calls / 10 : calls;
      for (int i = 0; i < n; i++) { // warm-up
        sink += ComplexityScorer.score(text).features().size();
      }
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        long t = System.nanoTime();
        sink += ComplexityScorer.score(text).features().size();
        nanos[i] = System.nanoTime() - t;
      }
      Arrays.sort(nanos);
      System.out.printf("%-18s %6d chars  median %7.1f µs  p99 %7.1f µs  max %8.1f µs  -> %s%n", c[0], text.length(),
          nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3, nanos[n - 1] / 1e3, ComplexityScorer.score(text).explain());
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static String fill(String unit, int chars) {
    StringBuilder s = new StringBuilder(chars + unit.length());
    while (s.length() < chars) {
      s.append(unit);
    }
    return s.substring(0, chars);
  }
}
