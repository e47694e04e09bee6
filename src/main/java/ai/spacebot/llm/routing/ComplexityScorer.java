package ai.spacebot.llm.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Puts a user message in a complexity tier ({@code light}, {@code standard}, {@code heavy}) from weighted
 * keyword and shape features, so a channel turn can use a cheaper model for chit-chat and a stronger one
 * for code, maths and multi-step requests. Local and deterministic: no network, no randomness, no clock;
 * the same text always gets the same score.
 *
 * <p>The score is the sum of the weights of the features that fire; below {@link #STANDARD_AT} is light,
 * from {@link #HEAVY_AT} on heavy, standard in between. What the tiers mean:
 * <ul>
 *   <li><b>light</b>: chit-chat (greetings, thanks, "lol", emoji) and short factual questions that any
 *       small model answers from general knowledge — "what's the capital of France?" is light (a
 *       plain question only adds {@link #QUESTION});
 *   <li><b>standard</b>: questions asking for explanation or comparison, longer messages, a single
 *       coding or maths ask without code attached;
 *   <li><b>heavy</b>: pasted code or stack traces, proofs, multi-step plans, and combinations of the above.
 * </ul>
 *
 * <p>Only the first {@link #SCAN_CHARS} characters are scanned for features (words are counted over
 * the whole text), which keeps a pasted 100 KB log as cheap as a 64 KB one; measured cost of a 10 KB
 * message is in {@code bench/java/ai/spacebot/bench/ComplexityScorerBench.java}.
 */
public final class ComplexityScorer {
  public static final String LIGHT = "light";
  public static final String STANDARD = "standard";
  public static final String HEAVY = "heavy";
  public static final List<String> TIERS = List.of(LIGHT, STANDARD, HEAVY);

  /** At or above: standard. One reasoning cue plus a question, or a 40-word message with one cue. */
  public static final double STANDARD_AT = 1.5;
  /** At or above: heavy. A code block plus anything code-like, a stack trace, or a real multi-step plan. */
  public static final double HEAVY_AT = 4.0;
  /** Only this prefix is scanned for features (words are counted over all); beyond it length has long reached its top. */
  public static final int SCAN_CHARS = 64 * 1024;

  // ---- code ----
  /** A fenced block means the user pasted code or output to work on: the strongest single code signal. */
  public static final double CODE_BLOCK = 3.0;
  /** A stack trace asks for debugging, which small models do badly; heavy on its own. */
  public static final double STACK_TRACE = 4.0;
  /** An exception or error type named (NullPointerException, TypeError): a debugging question. */
  public static final double ERROR_NAME = 1.0;
  /** Two or more identifiers (camelCase, snake_case, foo.bar(), `inline code`): talk about code. */
  public static final double CODE_IDENTIFIERS = 1.0;
  /** Eight or more: code pasted without a fence. Replaces {@link #CODE_IDENTIFIERS}. */
  public static final double MANY_CODE_IDENTIFIERS = 2.0;
  /** A file path or source file name: about a codebase, weak alone. */
  public static final double FILE_PATH = 0.5;
  /** A SQL statement (SELECT ... FROM, JOIN, CREATE TABLE): code to reason about, even without a fence. */
  public static final double SQL_QUERY = 2.0;
  /** A shell command or prompt (git rebase, kubectl, $ ls): a technical ask, about as strong as identifiers. */
  public static final double SHELL_COMMAND = 1.0;
  /** Refactor, debug, implement, "write a function"...: asks for engineering work, not an answer. */
  public static final double CODING_TASK = 1.5;

  // ---- maths ----
  /** Calculate, solve, integral, probability...: small models get arithmetic and algebra wrong. */
  public static final double MATH = 1.5;
  /** An equation or numbers joined by operators (2x + 3 = 7, 17 * 23, x^2, LaTeX). */
  public static final double MATH_EXPRESSION = 1.0;
  /** Prove, proof, theorem, lemma, induction: on top of {@link #MATH}, heavy together. */
  public static final double PROOF = 2.5;

  // ---- multi-step ----
  /** "First ... then/next/finally": several dependent steps, which need planning. */
  public static final double FIRST_THEN = 2.0;
  /** Two or more numbered items: an explicit list of steps or requirements. */
  public static final double NUMBERED_LIST = 2.0;
  /** Three or more bullets: several points to address (weaker than numbers; bullets are often data). */
  public static final double BULLET_LIST = 1.0;
  /** "Step by step", "walk me through", "in detail", "detailed plan": asks for a long, careful answer. */
  public static final double STEP_BY_STEP = 1.5;
  /** Three or more distinct imperative verbs (write ..., then deploy ..., and email ...): several tasks. */
  public static final double SEVERAL_TASKS = 1.5;

  // ---- reasoning and questions ----
  /** Explain, why, compare, trade-offs, design, analyse...: asks for reasoning, not a fact. */
  public static final double REASONING = 1.0;
  /** Summarise, translate, rewrite, proofread, draft: work on a text, more than a reply. */
  public static final double WRITING_TASK = 1.0;
  /** A question mark or an opening question word: a question, light on its own (a fact lookup). */
  public static final double QUESTION = 0.5;

  // ---- length (one bucket fires) ----
  /** 12–39 words: a real sentence or two. */
  public static final double WORDS_12 = 0.5;
  /** 40–119 words: a paragraph; with one reasoning cue, standard. */
  public static final double WORDS_40 = 1.0;
  /** 120–299 words: several paragraphs; standard on its own. */
  public static final double WORDS_120 = 1.5;
  /** 300+ words: an essay or a long paste; standard on its own, heavy with any other cue of weight 1.5. */
  public static final double WORDS_300 = 2.5;

  // ---- chit-chat ----
  /** Greetings, thanks, "lol", "ok", emoji only (short messages): pulls below any single weak cue. */
  public static final double CHIT_CHAT = -2.0;
  /** Chit-chat is only recognised in messages of at most this many words, and when no feature of weight 1 or more fired. */
  public static final int CHIT_CHAT_MAX_WORDS = 8;

  // Keyword tables: one pass tokenises the text and looks every token (and the pair it ends) up here.
  // Hand-written scanning instead of regular expressions: twenty regexes over 10 KB took ~8 ms.
  private static final int K_CODING = 1, K_MATH = 2, K_PROOF = 4, K_STEPS = 8, K_REASONING = 16, K_WRITING = 32,
      K_SHELL = 64, K_SQL = 128, K_FIRST = 256, K_THEN = 512, K_CLAUSE = 1024;
  private static final Map<String, Integer> WORDS = new HashMap<>();
  private static final Map<String, Integer> PAIRS = new HashMap<>();
  private static final Set<String> VERBS = Set.of("write", "create", "add", "build", "make", "set", "install", "configure", "deploy",
      "run", "test", "check", "update", "remove", "delete", "rename", "move", "send", "email", "generate", "draft", "summarise",
      "summarize", "translate", "review", "fix", "implement", "analyse", "analyze", "compare", "list", "find", "search", "schedule",
      "plan", "design", "explain", "describe", "migrate", "document", "merge", "publish", "book", "prepare", "outline", "refactor",
      "benchmark", "measure", "export", "import", "convert", "upload", "download", "copy", "clean", "call", "invite", "order", "pick");
  private static final Set<String> CODE_VERBS = Set.of("write", "create", "build", "fix", "implement", "debug");
  private static final Set<String> CODE_NOUNS = Set.of("function", "class", "method", "script", "program", "query", "test", "tests",
      "parser", "api", "endpoint", "bug", "code", "module", "service", "app", "cli");
  private static final Set<String> DETERMINERS = Set.of("a", "an", "the", "this", "my", "me", "our");
  private static final Set<String> QUESTION_WORDS = Set.of("what", "what's", "whats", "who", "who's", "where", "when", "which", "how",
      "why", "is", "are", "can", "could", "do", "does", "did", "should", "would", "will");
  private static final Set<String> CODE_EXTENSIONS = Set.of("java", "py", "js", "ts", "tsx", "jsx", "go", "rs", "rb", "kt", "cs", "cpp",
      "hpp", "c", "h", "php", "swift", "scala", "sql", "sh", "yaml", "yml", "toml", "json", "xml", "gradle", "tf");
  private static final String[] TRACE_MARKS = {"Traceback (most recent call last)", "Exception in thread \"", "Caused by: ",
      "panicked at ", "Segmentation fault", "core dumped"};
  private static final String[] MATH_MARKS = {"\\frac", "\\int", "\\sum", "\\sqrt", "\\lim", "\\alpha", "\\theta", "\\cdot", "$$", "∫",
      "∑", "√", "≤", "≥", "≠"};

  static {
    words(K_CODING, "refactor", "refactoring", "debug", "debugging", "implement", "implementing", "optimise", "optimize",
        "optimising", "optimizing", "rewrite", "algorithm", "algorithms", "regex", "segfault", "deadlock", "compile", "compiler",
        "compiling", "compilation");
    pairs(K_CODING, "unit test", "unit tests", "code review", "time complexity", "race condition", "memory leak");
    words(K_MATH, "calculate", "calculation", "compute", "solve", "integral", "integrate", "derivative", "differentiate", "equation",
        "probability", "matrix", "matrices", "eigenvalue", "eigenvalues", "eigenvector", "logarithm", "polynomial", "factorial",
        "modulo", "sqrt", "percent", "percentage", "variance", "irrational", "divisible");
    pairs(K_MATH, "standard deviation", "limit of", "square root", "prime number", "prime numbers");
    words(K_PROOF, "prove", "proof", "theorem", "lemma");
    pairs(K_PROOF, "by induction", "by contradiction");
    words(K_STEPS, "step-by-step");
    pairs(K_STEPS, "by step", "walk me", "in detail", "detailed plan", "detailed guide", "detailed explanation", "detailed analysis",
        "project plan", "migration plan", "rollout plan", "action plan", "implementation plan");
    words(K_REASONING, "explain", "why", "compare", "comparison", "differences", "analyse", "analyze", "analysis", "evaluate", "design",
        "architecture", "tradeoff", "tradeoffs", "trade-off", "trade-offs", "critique", "implications", "strategy", "strategies",
        "recommend", "recommendation");
    pairs(K_REASONING, "how does", "how do", "how did", "how would", "how could", "how should", "how can", "how to",
        "difference between", "and cons", "in depth", "best way", "should i", "would happen");
    words(K_WRITING, "summarise", "summarize", "tldr", "tl;dr", "translate", "rewrite", "rephrase", "paraphrase", "proofread", "draft",
        "polish");
    pairs(K_WRITING, "summary of", "edit this");
    words(K_SHELL, "sudo", "chmod", "chown", "kubectl", "systemctl", "grep", "awk", "wget", "ssh", "rsync", "crontab", "mvn",
        "gradle");
    pairs(K_SHELL, "git commit", "git rebase", "git merge", "git push", "git pull", "git checkout", "git cherry-pick", "git bisect",
        "git stash", "git reset", "docker run", "docker build", "docker compose", "npm install", "npm run", "pip install",
        "cargo build", "cargo run", "apt install", "apt-get install", "brew install", "curl -");
    pairs(K_SQL, "insert into", "delete from", "create table", "alter table", "drop table", "create index", "left join", "inner join",
        "right join", "outer join", "group by", "select *");
    words(K_FIRST, "first", "firstly");
    pairs(K_FIRST, "start by");
    words(K_THEN, "then", "next", "afterwards", "finally", "secondly");
    pairs(K_THEN, "after that", "once that");
    words(K_CLAUSE, "and", "also", "please", "then", "next", "finally", "first", "firstly");
  }

  private static void words(int kind, String... words) {
    for (String w : words) {
      WORDS.merge(w, kind, (a, b) -> a | b);
    }
  }

  private static void pairs(int kind, String... pairs) {
    for (String p : pairs) {
      PAIRS.merge(p, kind, (a, b) -> a | b);
    }
  }

  private static final Set<String> CHIT_CHAT_WORDS = Set.of("hi", "hello", "hey", "heya", "hiya", "yo", "sup", "howdy", "morning",
      "evening", "gm", "gn", "thanks", "thank", "thx", "ty", "tysm", "cheers", "lol", "lmao", "rofl", "haha", "hahaha", "hehe", "ok",
      "okay", "k", "kk", "cool", "nice", "great", "awesome", "perfect", "sure", "yes", "yep", "yeah", "no", "nope", "bye", "cya",
      "goodnight", "np", "welcome", "wow", "omg", "hmm", "oh", "ah", "good", "night", "congrats", "gg", "brb", "ttyl");
  private ComplexityScorer() {}

  /** One feature that fired and the weight it added (negative for chit-chat). */
  public record Feature(String name, double weight) {
    @Override
    public String toString() {
      return name + " " + (weight < 0 ? "-" : "+") + number(Math.abs(weight));
    }
  }

  /**
   * @param tier light, standard or heavy
   * @param score the sum of {@code features}' weights
   * @param features what fired, strongest first
   */
  public record Score(String tier, double score, List<Feature> features) {
    public Score {
      features = List.copyOf(features);
    }

    /** One line for logs and debug events, e.g. {@code heavy (score 7.5): code block +3, multi-step +2, 240 words +1}. */
    public String explain() {
      StringBuilder s = new StringBuilder(tier).append(" (score ").append(number(score)).append("): ");
      if (features.isEmpty()) {
        return s.append("no features").toString();
      }
      for (int i = 0; i < features.size(); i++) {
        s.append(i == 0 ? "" : ", ").append(features.get(i));
      }
      return s.toString();
    }
  }

  /** The tier of a message: light, standard or heavy. */
  public static String tierFor(String message) {
    return score(message).tier();
  }

  /** The tier of a turn's user messages (group chats answer several at once), scored as one text. */
  public static String tierFor(List<String> messages) {
    return score(messages).tier();
  }

  public static Score score(List<String> messages) {
    return score(String.join("\n\n", messages.stream().filter(m -> m != null && !m.isBlank()).toList()));
  }

  /** Scores one message; null and blank are light with no features. */
  public static Score score(String message) {
    if (message == null || message.isBlank()) {
      return new Score(LIGHT, 0, List.of());
    }
    String text = message.length() > SCAN_CHARS ? message.substring(0, SCAN_CHARS) : message;
    int words = countWords(message);
    Scan s = new Scan(text);
    List<Feature> fired = new ArrayList<>();

    // Code.
    if (text.contains("```") || text.contains("~~~")) {
      fired.add(new Feature("code block", CODE_BLOCK));
    }
    if (s.traceMark || s.traceFrames >= 2) {
      fired.add(new Feature("stack trace", STACK_TRACE));
    } else if (s.errorName) {
      fired.add(new Feature("error name", ERROR_NAME));
    }
    if (s.identifiers.size() >= 8) {
      fired.add(new Feature("many code identifiers", MANY_CODE_IDENTIFIERS));
    } else if (s.identifiers.size() >= 2) {
      fired.add(new Feature("code identifiers", CODE_IDENTIFIERS));
    }
    add(fired, s.filePath, "file path", FILE_PATH);
    add(fired, s.has(K_SQL) || s.sqlCaps, "sql query", SQL_QUERY);
    add(fired, s.has(K_SHELL) || s.shellPrompt, "shell command", SHELL_COMMAND);
    add(fired, s.has(K_CODING) || s.codeAsk, "coding task", CODING_TASK);

    // Maths.
    add(fired, s.has(K_MATH), "math", MATH);
    add(fired, !s.traceMark && s.traceFrames < 2 && (s.expression || containsAny(text, MATH_MARKS)), "math expression",
        MATH_EXPRESSION);
    add(fired, s.has(K_PROOF), "proof", PROOF);

    // Multi-step.
    add(fired, s.firstThen, "first…then", FIRST_THEN);
    if (s.numbered >= 2) {
      fired.add(new Feature("numbered list", NUMBERED_LIST));
    } else if (s.bullets >= 3) {
      fired.add(new Feature("bullet list", BULLET_LIST));
    }
    add(fired, s.has(K_STEPS), "step by step", STEP_BY_STEP);
    add(fired, s.verbs.size() >= 3, "several tasks", SEVERAL_TASKS);

    // Reasoning and questions.
    add(fired, s.has(K_REASONING), "reasoning", REASONING);
    add(fired, s.has(K_WRITING), "writing task", WRITING_TASK);
    add(fired, text.indexOf('?') >= 0 || s.questionStart, "question", QUESTION);

    // Length.
    double length = words >= 300 ? WORDS_300 : words >= 120 ? WORDS_120 : words >= 40 ? WORDS_40 : words >= 12 ? WORDS_12 : 0;
    add(fired, length > 0, words + " words", length);

    // Chit-chat.
    if (words <= CHIT_CHAT_MAX_WORDS && fired.stream().allMatch(f -> f.weight() < 1)) {
      String chat = chitChat(text);
      add(fired, chat != null, chat, CHIT_CHAT);
    }

    double total = 0;
    for (Feature f : fired) {
      total += f.weight();
    }
    fired.sort(Comparator.comparingDouble((Feature f) -> -Math.abs(f.weight())));
    String tier = total >= HEAVY_AT ? HEAVY : total >= STANDARD_AT ? STANDARD : LIGHT;
    return new Score(tier, total, fired);
  }

  private static void add(List<Feature> fired, boolean when, String name, double weight) {
    if (when) {
      fired.add(new Feature(name, weight));
    }
  }

  private static boolean containsAny(String text, String[] marks) {
    for (String m : marks) {
      if (text.contains(m)) {
        return true;
      }
    }
    return false;
  }

  /** One pass over the text: tokens (with the pair each ends), lines, whitespace-separated chunks and operators. */
  private static final class Scan {
    int kinds;
    boolean traceMark;
    int traceFrames;
    boolean errorName;
    final Set<String> identifiers = new HashSet<>();
    final Set<String> verbs = new HashSet<>();
    boolean filePath;
    boolean sqlCaps;
    boolean shellPrompt;
    boolean codeAsk;
    boolean expression;
    boolean firstThen;
    int numbered;
    int bullets;
    boolean questionStart;

    Scan(String text) {
      traceMark = containsAny(text, TRACE_MARKS);
      lines(text);
      chunks(text);
      tokens(text);
      operators(text);
    }

    boolean has(int kind) {
      return (kinds & kind) != 0;
    }

    private void lines(String text) {
      int start = 0;
      while (start <= text.length()) {
        int end = text.indexOf('\n', start);
        if (end < 0) {
          end = text.length();
        }
        int i = start;
        while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
          i++;
        }
        int indent = i - start;
        if (i < end) {
          char c = text.charAt(i);
          if (text.startsWith("at ", i) && (endsWithLineNumber(text, i + 3, end) || text.startsWith("(Native Method)", end - 15))) {
            traceFrames++;
          } else if (text.startsWith("File \"", i) && text.indexOf("\", line ", i) > 0 && text.indexOf("\", line ", i) < end) {
            traceMark = true;
          } else if (text.startsWith("goroutine ", i) && text.indexOf('[', i) > 0 && text.indexOf('[', i) < end) {
            traceMark = true;
          } else if (text.startsWith("$ ", i)) {
            shellPrompt = true;
          } else if (indent <= 6 && (c == '-' || c == '*' || c == '•') && i + 2 <= end && i + 1 < text.length()
              && text.charAt(i + 1) == ' ') {
            bullets++;
          } else if (indent <= 6 && numberedItem(text, i, end)) {
            numbered++;
          }
        }
        start = end + 1;
      }
    }

    /** "1. x", "12) x", "(3) x", "Step 2: x". */
    private static boolean numberedItem(String text, int i, int end) {
      if (text.regionMatches(true, i, "step ", 0, 5)) {
        i += 5;
      } else if (text.charAt(i) == '(') {
        i++;
      }
      int digits = 0;
      while (i < end && Character.isDigit(text.charAt(i)) && digits < 3) {
        i++;
        digits++;
      }
      if (digits == 0 || digits > 2 || i >= end) {
        return false;
      }
      char c = text.charAt(i);
      if (c != '.' && c != ')' && c != ':') {
        return false;
      }
      return i + 2 < end + 1 && i + 1 < text.length() && text.charAt(i + 1) == ' ';
    }

    /** The line ends in ":123" or ":123:45", optionally followed by ")": a stack frame's file and line. */
    private static boolean endsWithLineNumber(String text, int from, int end) {
      int i = end - 1;
      while (i > from && Character.isWhitespace(text.charAt(i))) {
        i--;
      }
      if (text.charAt(i) == ')') {
        i--;
      }
      for (int part = 0; part < 2; part++) {
        int digits = 0;
        while (i > from && Character.isDigit(text.charAt(i))) {
          i--;
          digits++;
        }
        if (digits == 0 || text.charAt(i) != ':') {
          return part > 0;
        }
        i--;
      }
      return true;
    }

    /** Whitespace-separated chunks: file paths and source file names. */
    private void chunks(String text) {
      int n = text.length();
      int i = 0;
      while (i < n && !filePath) {
        while (i < n && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
        if (i > start) {
          filePath = isPath(text.substring(start, i));
        }
      }
    }

    private static boolean isPath(String chunk) {
      int a = 0;
      int b = chunk.length();
      while (a < b && "(\"'`<[".indexOf(chunk.charAt(a)) >= 0) {
        a++;
      }
      while (b > a && ")\"'`>],;:.!?".indexOf(chunk.charAt(b - 1)) >= 0) {
        b--;
      }
      String c = chunk.substring(a, b);
      if (c.contains("://") || c.length() < 3) {
        return false;
      }
      if (c.length() > 3 && Character.isLetter(c.charAt(0)) && c.charAt(1) == ':' && c.charAt(2) == '\\') {
        return true;
      }
      int dot = c.lastIndexOf('.');
      if (dot <= 0 || dot == c.length() - 1) {
        return false;
      }
      String ext = c.substring(dot + 1);
      for (int k = 0; k < ext.length(); k++) {
        if (!Character.isLetter(ext.charAt(k))) {
          return false;
        }
      }
      if (CODE_EXTENSIONS.contains(ext.toLowerCase(Locale.ROOT)) && c.indexOf('@') < 0) {
        return c.charAt(dot - 1) != '.';
      }
      int slash = c.lastIndexOf('/');
      return slash >= 0 && slash < dot && ext.length() <= 5 && c.indexOf(' ') < 0;
    }

    /** Words: keywords and pairs, identifiers by shape, imperative verbs at clause starts, first … then. */
    private void tokens(String text) {
      int n = text.length();
      int i = 0;
      String prev = "";
      String prev2 = "";
      String prev3 = "";
      boolean clauseStart = true;
      int firstAt = -1;
      int index = 0;
      while (i < n) {
        char c = text.charAt(i);
        if (!Character.isLetterOrDigit(c) && c != '_') {
          if (".!?;:\n,".indexOf(c) >= 0) {
            clauseStart = true;
          }
          if (c == '*' && prev.equals("select")) {
            kinds |= PAIRS.getOrDefault("select *", 0);
          }
          if (c == '-' && prev.equals("curl")) {
            kinds |= K_SHELL;
          }
          i++;
          continue;
        }
        int start = i;
        while (i < n) {
          char d = text.charAt(i);
          if (Character.isLetterOrDigit(d) || d == '_'
              || ((d == '-' || d == '\'' || d == '’') && i + 1 < n && Character.isLetter(text.charAt(i + 1)) && i > start)) {
            i++;
          } else {
            break;
          }
        }
        String raw = text.substring(start, i);
        String word = raw.toLowerCase(Locale.ROOT).replace('’', '\'');
        boolean call = i < n && text.charAt(i) == '(';
        boolean member = start > 0 && text.charAt(start - 1) == '.' && call;
        if (identifiers.size() < 8 && (member || (call && word.length() > 1 && !QUESTION_WORDS.contains(word)) || identifierShape(raw))) {
          identifiers.add(raw);
        }
        if (!errorName && (raw.endsWith("Exception") || raw.endsWith("Error")) && raw.length() > 6
            && Character.isUpperCase(raw.charAt(0)) && !raw.equals("Exception")) {
          errorName = true;
        }
        if (raw.equals("SELECT") && text.indexOf("FROM", i) > 0) {
          sqlCaps = true;
        }
        int kind = WORDS.getOrDefault(word, 0);
        int pair = prev.isEmpty() ? 0 : PAIRS.getOrDefault(prev + " " + word, 0);
        int all = kind | pair;
        kinds |= all & ~(K_FIRST | K_THEN | K_CLAUSE);
        if (index == 0 && QUESTION_WORDS.contains(word)) {
          questionStart = true;
        }
        if ((all & K_FIRST) != 0 && firstAt < 0 && !text.startsWith(" of all", i)) {
          firstAt = i;
        } else if ((all & K_THEN) != 0 && firstAt >= 0 && start - firstAt <= 600) {
          firstThen = true;
        }
        if (clauseStart && VERBS.contains(word)) {
          verbs.add(word);
        }
        if (CODE_NOUNS.contains(word) && (CODE_VERBS.contains(prev2) && DETERMINERS.contains(prev)
            || CODE_VERBS.contains(prev3) && (DETERMINERS.contains(prev2) || DETERMINERS.contains(prev)))) {
          codeAsk = true;
        }
        clauseStart = (kind & K_CLAUSE) != 0 || (clauseStart && word.chars().allMatch(Character::isDigit));
        prev3 = prev2;
        prev2 = prev;
        prev = word;
        index++;
      }
    }

    /** camelCase, PascalCase with two humps, snake_case, CONSTANT_CASE. */
    private static boolean identifierShape(String w) {
      int n = w.length();
      if (n < 3 || !Character.isLetter(w.charAt(0))) {
        return false;
      }
      int underscore = w.indexOf('_');
      if (underscore > 0 && underscore < n - 1) {
        return true;
      }
      int humps = 0;
      for (int k = 1; k < n; k++) {
        if (Character.isUpperCase(w.charAt(k)) && Character.isLowerCase(w.charAt(k - 1))) {
          humps++;
        }
      }
      return Character.isLowerCase(w.charAt(0)) ? humps >= 1 : humps >= 1 && Character.isLowerCase(w.charAt(1));
    }

    /** 17 * 23, 3 - 1, 4 / 2, x^2, 2x + 3 = 7. */
    private void operators(String text) {
      int n = text.length();
      for (int i = 1; i < n - 1 && !expression; i++) {
        char c = text.charAt(i);
        if ("+*×÷^-/=".indexOf(c) < 0) {
          continue;
        }
        int l = i - 1;
        boolean spaceLeft = false;
        while (l > 0 && text.charAt(l) == ' ') {
          l--;
          spaceLeft = true;
        }
        int r = i + 1;
        boolean spaceRight = false;
        while (r < n - 1 && text.charAt(r) == ' ') {
          r++;
          spaceRight = true;
        }
        char left = text.charAt(l);
        char right = text.charAt(r);
        if (c == '^') {
          expression = Character.isLetterOrDigit(left) && Character.isDigit(right);
        } else if (c == '-' || c == '/') {
          expression = Character.isDigit(left) && Character.isDigit(right) && spaceLeft && spaceRight;
        } else if (c == '=') {
          expression = equation(text, l, right);
        } else {
          expression = Character.isDigit(left) && Character.isDigit(right);
        }
      }
    }

    /** "=" with an operator between word characters just before it and a value after it (2x + 3 = 7). */
    private static boolean equation(String text, int l, char right) {
      if (!(Character.isLetterOrDigit(right) || right == '(' || right == '-') || "=<>!".indexOf(text.charAt(l)) >= 0) {
        return false;
      }
      for (int k = l; k > 0 && k > l - 14; k--) {
        char c = text.charAt(k);
        if ("+-*/^".indexOf(c) >= 0) {
          int a = k - 1;
          while (a > 0 && text.charAt(a) == ' ') {
            a--;
          }
          return Character.isLetterOrDigit(text.charAt(a)) || text.charAt(a) == ')';
        }
        if (c == '\n' || c == '=') {
          return false;
        }
      }
      return false;
    }
  }
  private static String chitChat(String text) {
    boolean alnum = false;
    for (int i = 0; i < text.length() && !alnum; ) {
      int cp = text.codePointAt(i);
      alnum = Character.isLetterOrDigit(cp);
      i += Character.charCount(cp);
    }
    if (!alnum) {
      return "emoji only";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int start = 0;
    while (start < lower.length() && !Character.isLetter(lower.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < lower.length() && Character.isLetter(lower.charAt(end))) {
      end++;
    }
    String first = lower.substring(start, end);
    return CHIT_CHAT_WORDS.contains(first) || first.matches("(?:ha)+h?|(?:he)+|lo+l|a*w+|y+a+y+") ? "chit-chat" : null;
  }

  /** Whitespace-separated tokens holding a letter or digit. */
  static int countWords(String text) {
    int words = 0;
    boolean counted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        counted = false;
      } else if (!counted && Character.isLetterOrDigit(c)) {
        words++;
        counted = true;
      }
    }
    return words;
  }

  /** 3, 1.5, 0.25: no trailing zeros. */
  static String number(double d) {
    if (d == Math.rint(d)) {
      return Long.toString((long) d);
    }
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
