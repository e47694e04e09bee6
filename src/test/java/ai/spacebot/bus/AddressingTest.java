package ai.spacebot.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which messages get a turn: the table from the issue (DMs ignore the mode; the conversation's mode wins). */
class AddressingTest {
  @ParameterizedTest(name = "direct={0} mention={1} binding={2} require={3} conversation={4} command={5} -> {6}")
  @CsvSource({
      "false, false, active,       false, ,             false, true",
      "false, false, active,       true,  ,             false, false",
      "false, true,  active,       true,  ,             false, true",
      "false, false, active,       true,  ,             true,  true",
      "false, true,  observe,      false, ,             false, false",
      "false, false, observe,      false, ,             true,  false",
      "false, false, mention_only, false, ,             false, false",
      "false, true,  mention_only, false, ,             false, true",
      "false, false, mention_only, false, ,             true,  true",
      "true,  false, observe,      true,  ,             false, true",
      "true,  false, mention_only, false, observe,      false, true",
      "false, false, active,       false, observe,      false, false",
      "false, false, observe,      false, active,       false, true",
      "false, false, active,       false, mention_only, false, false",
  })
  void decidesTurns(boolean direct, boolean mention, String mode, boolean require, String conversationMode,
      boolean command, boolean expected) {
    Addressing a = new Addressing(direct, mention, mode, require, false);
    assertThat(a.wantsTurn(conversationMode, command)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"true, true, observe, true, true", "false, false, active, false, false"})
  void survivesTheBus(boolean direct, boolean mention, String mode, boolean require, boolean authority) {
    Addressing a = new Addressing(direct, mention, mode, require, authority);
    assertThat(Addressing.fromJson(a.toJson())).isEqualTo(a);
  }
}
