package io.tally.gateway.instructions.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 7240 preferences the gateway honours: {@code wait} and {@code return=minimal}. */
class PreferHeaderTest {

  @Test
  void waitIsReadInSecondsAndCapped() {
    assertThat(InstructionController.preferredWait("wait=5")).isEqualTo(Duration.ofSeconds(5));
    assertThat(InstructionController.preferredWait("respond-async, wait=7"))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(InstructionController.preferredWait("wait=3600"))
        .isEqualTo(InstructionController.WAIT_MAX);
    assertThat(InstructionController.preferredWait("wait=-3")).isZero();
  }

  @Test
  void aPreferenceThatCannotBeHonouredIsIgnored() {
    assertThat(InstructionController.preferredWait(null)).isZero();
    assertThat(InstructionController.preferredWait("wait=soon")).isZero();
    assertThat(InstructionController.preferredWait("handling=lenient")).isZero();
  }

  @Test
  void returnMinimalLeavesTheReceiptOut() {
    assertThat(InstructionController.minimal("wait=10, return=minimal")).isTrue();
    assertThat(InstructionController.minimal("wait=10")).isFalse();
    assertThat(InstructionController.minimal("return=representation")).isFalse();
    assertThat(InstructionController.minimal(null)).isFalse();
  }
}
