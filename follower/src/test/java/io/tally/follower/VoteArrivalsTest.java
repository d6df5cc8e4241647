package io.tally.follower;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.block.BlockHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoteArrivalsTest {

  final VoteArrivals arrivals = new VoteArrivals();

  static VoteArrivals.Arrival arrival(String validator, long offset) {
    return new VoteArrivals.Arrival(validator, offset, 1_000 + offset);
  }

  @Test
  void theCommittedBlockGetsTheVotesForItsOwnHeaderInTopicOrder() {
    BlockHeader header = VoteTallyTest.header(1, "a");
    BlockHeader other = VoteTallyTest.header(1, "b");
    arrivals.arrived(header, arrival("validator-3", 7));
    arrivals.arrived(other, arrival("validator-4", 5));
    arrivals.arrived(header, arrival("validator-1", 6));

    assertThat(arrivals.voters(header)).containsExactly("validator-1", "validator-3");
    assertThat(arrivals.committed(header))
        .containsExactly(arrival("validator-1", 6), arrival("validator-3", 7));
  }

  @Test
  void aValidatorsVoteReadAgainKeepsItsFirstArrival() {
    BlockHeader header = VoteTallyTest.header(1, "a");
    arrivals.arrived(header, arrival("validator-1", 3));
    arrivals.arrived(header, arrival("validator-1", 9));

    assertThat(arrivals.committed(header)).containsExactly(arrival("validator-1", 3));
  }

  @Test
  void committingAHeightForgetsItAndEveryHeightBelow() {
    BlockHeader one = VoteTallyTest.header(1, "a");
    BlockHeader two = VoteTallyTest.header(2, "a");
    BlockHeader three = VoteTallyTest.header(3, "a");
    arrivals.arrived(one, arrival("validator-1", 1));
    arrivals.arrived(two, arrival("validator-1", 2));
    arrivals.arrived(three, arrival("validator-1", 3));

    assertThat(arrivals.committed(two)).hasSize(1);
    assertThat(arrivals.voters(one)).isEmpty();
    assertThat(arrivals.voters(two)).isEmpty();
    assertThat(arrivals.voters(three)).containsExactly("validator-1");
    assertThat(arrivals.committed(three)).isEqualTo(List.of(arrival("validator-1", 3)));
  }
}
