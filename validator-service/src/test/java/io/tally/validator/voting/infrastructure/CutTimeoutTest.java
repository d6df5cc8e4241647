package io.tally.validator.voting.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.TestNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CutTimeoutTest {

  static final Duration TIMEOUT = Duration.ofMillis(50);

  @Test
  void theFirstValidatorCutsAfterTheBlockTimeoutAndEachNextHalfATimeoutLater() {
    assertThat(ValidatorConfiguration.cutTimeout(TestNetwork.GENESIS, "validator-1", TIMEOUT))
        .isEqualTo(Duration.ofMillis(50));
    assertThat(ValidatorConfiguration.cutTimeout(TestNetwork.GENESIS, "validator-2", TIMEOUT))
        .isEqualTo(Duration.ofMillis(75));
    assertThat(ValidatorConfiguration.cutTimeout(TestNetwork.GENESIS, "validator-4", TIMEOUT))
        .isEqualTo(Duration.ofMillis(125));
  }
}
