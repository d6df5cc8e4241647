/**
 * The network load benchmark: four validators and a ledger as Spring applications on a real broker
 * and a real PostgreSQL, fed signed settlements; measures certified throughput and the time from
 * log append to ledger commit. A program run on demand, never a test.
 */
@NullMarked
package io.tally.benchmarks.network;

import org.jspecify.annotations.NullMarked;
