package ai.spacebot.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without clustering the local cortex leads every agent; two instances on one node never both lead. */
class LeadershipTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private Leadership leadership(String name) {
    return new Leadership(vertx, "cortex", List.of("main", "second"), a -> events.add(name + "+" + a), a -> events.add(name + "-" + a));
  }

  private void onContext(Runnable r) throws Exception {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      r.run();
      done.complete();
    });
    done.future().await(5, TimeUnit.SECONDS);
  }

  @Test
  void theLocalCortexLeadsEveryAgentAtOnce() throws Exception {
    Leadership only = leadership("one");
    onContext(only::start);
    assertThat(only.leads("main")).isTrue();
    assertThat(only.leads("second")).isTrue();
    assertThat(only.leads("unknown")).isFalse();
    assertThat(events).containsExactly("one+main", "one+second");
    onContext(only::stop);
    assertThat(only.led()).isEmpty();
    // Leads are released in no particular order (they sit in a concurrent map).
    assertThat(events).hasSize(4);
    assertThat(events.subList(2, 4)).containsExactlyInAnyOrder("one-main", "one-second");
  }

  @Test
  void aSecondInstanceWaitsAndTakesOverWhenTheFirstStops() throws Exception {
    Leadership first = leadership("first");
    Leadership second = leadership("second");
    onContext(first::start);
    onContext(second::start);
    Thread.sleep(Leadership.RETRY_MS + 500); // a retry round of the second one
    assertThat(first.led()).containsExactlyInAnyOrder("main", "second");
    assertThat(second.led()).isEmpty();

    onContext(first::stop);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Leadership.RETRY_MS * 3);
    while (second.led().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(second.led()).containsExactlyInAnyOrder("main", "second");
    assertThat(first.led()).isEmpty();
    onContext(second::stop);
  }
}
