/**
 * Real infrastructure for tests: {@link io.tally.testing.LocalKafka}, a single-node Apache Kafka
 * broker in KRaft mode running in the test's JVM, and {@link io.tally.testing.LocalPostgres}, a
 * real PostgreSQL server (embedded, or one the run configures). Both bind to 127.0.0.1 only, use
 * free ports and temporary directories, and stop when closed.
 */
@NullMarked
package io.tally.testing;

import org.jspecify.annotations.NullMarked;
