package ai.spacebot.bench.quality;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {slot}} templates for one fact: bound names first, then generated values (dates,
 * amounts, pool draws), each drawn once so every message and question about the fact agrees.
 */
final class Slots {
  private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z0-9_.]+~?)}");
  private static final Pattern INDEXED = Pattern.compile("([a-z]+)(\\d*)");

  private final Random random;
  private final Draws draws;
  private final Map<String, String> values = new HashMap<>();

  Slots(Random random, Draws draws) {
    this.random = random;
    this.draws = draws;
  }

  Slots bind(String name, String value) {
    values.put(name, value);
    return this;
  }

  String fill(String template) {
    Matcher m = SLOT.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String value(String name) {
    String v = values.get(name);
    if (v == null) {
      v = generate(name);
      values.put(name, v);
    }
    return v;
  }

  private String generate(String name) {
    Matcher m = INDEXED.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("unbound slot {" + name + "}");
    }
    String kind = m.group(1);
    boolean second = !m.group(2).isEmpty();
    return switch (kind) {
      // A later date of a pair (a slip, a trip's end) comes after the first.
      case "date" -> second ? format(parseDate(value("date")).plusDays(7 + random.nextInt(21))) : format(randomDate());
      case "day" -> distinct(kind, () -> DayOfWeek.of(1 + random.nextInt(5)).getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case "time" -> distinct(kind, () -> String.format(Locale.ROOT, "%d:%02d", 8 + random.nextInt(12), 15 * random.nextInt(4)));
      case "month" -> Month.of(1 + random.nextInt(12)).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case "money" -> String.format(Locale.ROOT, "€%,d", 500 * (10 + random.nextInt(800)));
      case "price" -> "€" + (5 + random.nextInt(56));
      case "count" -> String.format(Locale.ROOT, "%,d", 120 + random.nextInt(98_000));
      case "percent" -> String.format(Locale.ROOT, "%.1f%%", 0.5 + random.nextInt(445) / 10.0);
      case "score" -> Integer.toString(10 + random.nextInt(61));
      case "millis" -> (120 + 10 * random.nextInt(170)) + " ms";
      case "seconds" -> String.format(Locale.ROOT, "%.1f s", 0.8 + random.nextInt(58) / 10.0);
      case "minutes" -> (5 + 5 * random.nextInt(48)) + " minutes";
      case "fivek" -> clock(16 * 60, 38 * 60);
      case "half" -> clock(75 * 60, 160 * 60);
      case "marathon" -> clock(155 * 60, 330 * 60);
      case "century" -> clock(270 * 60, 480 * 60);
      case "longday" -> clock(8 * 3600, 20 * 3600);
      case "ultra" -> clock(20 * 3600, 46 * 3600);
      case "swim" -> clock(40 * 60, 100 * 60);
      case "trail" -> clock(50 * 60, 150 * 60);
      case "weeks" -> Integer.toString(2 + random.nextInt(7));
      case "seats" -> Integer.toString(2 + random.nextInt(3));
      case "client", "newcomer", "venue" -> draws.unique(kind + "s");
      case "dish" -> distinct(kind, () -> draws.any("dishes", random));
      case "spot" -> distinct(kind, () -> draws.any("spots", random));
      default -> throw new IllegalArgumentException("unbound slot {" + name + "}");
    };
  }

  /** A value of a kind unlike the ones this fact already has (two dishes, two days, ...). */
  private String distinct(String kind, java.util.function.Supplier<String> next) {
    for (int attempt = 0; ; attempt++) {
      String v = next.get();
      boolean taken = values.entrySet().stream().anyMatch(e -> e.getKey().startsWith(kind) && e.getValue().equals(v));
      if (!taken || attempt > 20) {
        return v;
      }
    }
  }

  private LocalDate randomDate() {
    return LocalDate.of(2025, 1, 1).plusDays(random.nextInt(365));
  }

  private static String format(LocalDate d) {
    return d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + d.getDayOfMonth();
  }

  private static LocalDate parseDate(String s) {
    String[] p = s.split(" ");
    return LocalDate.of(2025, Month.valueOf(p[0].toUpperCase(Locale.ROOT)), Integer.parseInt(p[1]));
  }

  /** A finishing time between the bounds (seconds), as a race result would show it. */
  private String clock(int min, int max) {
    int seconds = min + random.nextInt(max - min);
    int h = seconds / 3600;
    int m = seconds / 60 % 60;
    int s = seconds % 60;
    return h == 0 ? String.format(Locale.ROOT, "%d:%02d", m, s) : String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s);
  }

  /**
   * Pool draws shared by the whole corpus: names a question could be keyed on (clients, newcomers,
   * venues) are handed out once each while they last.
   */
  static final class Draws {
    private final Map<String, List<String>> pools;
    private final Map<String, List<String>> left = new HashMap<>();
    private final Random random;

    Draws(Map<String, List<String>> pools, Random random) {
      this.pools = pools;
      this.random = random;
    }

    String unique(String pool) {
      List<String> l = left.computeIfAbsent(pool, p -> new ArrayList<>());
      if (l.isEmpty()) {
        l.addAll(require(pool));
        Collections.shuffle(l, random);
      }
      return l.remove(l.size() - 1);
    }

    String any(String pool, Random r) {
      List<String> all = require(pool);
      return all.get(r.nextInt(all.size()));
    }

    private List<String> require(String pool) {
      List<String> all = pools.get(pool);
      if (all == null || all.isEmpty()) {
        throw new IllegalArgumentException("no [" + pool + "] pool in the spec");
      }
      return all;
    }
  }
}
