package io.tally.follower;

import io.tally.engine.BlockResult;
import io.tally.engine.LogRecord;
import io.tally.protocol.block.BlockHeader;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A block the follower computed.
 *
 * @param records the log records the block holds, in order
 * @param nextOffset the log offset after the block's last record
 * @param snapshot the engine's state right after the block, when the policy asked for a snapshot at
 *     this height (serialized when called, on any thread)
 */
public record ComputedBlock(
    BlockResult block,
    List<LogRecord> records,
    long nextOffset,
    @Nullable Supplier<byte[]> snapshot) {

  public BlockHeader header() {
    return block.header();
  }

  public long height() {
    return block.header().height();
  }
}
