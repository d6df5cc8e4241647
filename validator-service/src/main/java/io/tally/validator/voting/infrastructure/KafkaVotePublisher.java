package io.tally.validator.voting.infrastructure;

import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.validator.voting.application.VotePublisher;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes this validator's envelopes: votes to the votes topic (keyed by height) and cut markers to
 * its log partition. Each write waits for the broker's acknowledgement ({@code acks=all},
 * idempotent producer), so a vote is never reported as published when it was not.
 */
final class KafkaVotePublisher implements VotePublisher {

  private final KafkaTemplate<byte[], byte[]> kafka;
  private final EnvelopeWriter logEnvelopes;
  private final EnvelopeWriter voteEnvelopes;
  private final String logTopic;
  private final int shard;
  private final String votesTopic;
  private final Duration sendTimeout;

  KafkaVotePublisher(
      KafkaTemplate<byte[], byte[]> kafka,
      EnvelopeWriter logEnvelopes,
      EnvelopeWriter voteEnvelopes,
      String logTopic,
      int shard,
      String votesTopic,
      Duration sendTimeout) {
    this.kafka = kafka;
    this.logEnvelopes = logEnvelopes;
    this.voteEnvelopes = voteEnvelopes;
    this.logTopic = logTopic;
    this.shard = shard;
    this.votesTopic = votesTopic;
    this.sendTimeout = sendTimeout;
  }

  @Override
  public synchronized void vote(long height, Vote vote) {
    Envelope envelope = voteEnvelopes.next(EnvelopeType.VOTE, vote.toBytes());
    await(
        kafka.send(votesTopic, heightKey(height), envelope.toBytes()), "vote for height " + height);
  }

  @Override
  public synchronized void cut(long height) {
    byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
    Envelope envelope = logEnvelopes.next(EnvelopeType.CUT, body);
    await(
        kafka.send(logTopic, shard, heightKey(height), envelope.toBytes()),
        "cut for height " + height);
  }

  private static byte[] heightKey(long height) {
    return ByteBuffer.allocate(Long.BYTES).putLong(height).array();
  }

  private void await(java.util.concurrent.CompletableFuture<?> send, String what) {
    try {
      send.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("publishing the " + what + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the " + what, e);
    }
  }
}
