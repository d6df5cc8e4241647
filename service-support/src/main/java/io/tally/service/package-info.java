/**
 * Pieces every Tally service needs around the {@link io.tally.follower.ChainFollower}, written
 * once: reading one log partition from Kafka ({@link io.tally.service.KafkaLogReader}), the
 * certified replica the gateway and identity serve from ({@link
 * io.tally.service.CertifiedReplica}), the Kafka settings that decide correctness ({@link
 * io.tally.service.KafkaSettings}), loading an instance's keys against the genesis ({@link
 * io.tally.service.GenesisKeys}), writing snapshots in the background ({@link
 * io.tally.service.NewestOnlyWriter}) and running loops for an application's life ({@link
 * io.tally.service.LoopRunner}).
 */
@NullMarked
package io.tally.service;

import org.jspecify.annotations.NullMarked;
