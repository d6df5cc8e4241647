/**
 * Pieces every Tally service needs around the engine, written once: reading one log partition
 * ({@link io.tally.service.LogReader}, {@link io.tally.service.KafkaLogReader}), pre-verifying
 * records on several threads ({@link io.tally.service.ParallelPreVerifier}), the Kafka settings
 * that decide correctness ({@link io.tally.service.KafkaSettings}), loading an instance's keys
 * against the genesis ({@link io.tally.service.GenesisKeys}), writing snapshots in the background
 * ({@link io.tally.service.NewestOnlyWriter}) and running loops for an application's life ({@link
 * io.tally.service.LoopRunner}).
 */
@NullMarked
package io.tally.service;

import org.jspecify.annotations.NullMarked;
