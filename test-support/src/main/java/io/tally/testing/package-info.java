/**
 * Real infrastructure for tests: {@link io.tally.testing.LocalKafka}, a single-node Apache Kafka
 * broker in KRaft mode running in the test's JVM, and {@link io.tally.testing.LocalPostgres}, a
 * real PostgreSQL server (embedded, or one the run configures). Both bind to 127.0.0.1 only, use
 * free ports and temporary directories, and stop when closed. {@link io.tally.testing.RawHttp}
 * sends requests byte for byte over a socket (what {@code HttpClient} refuses to send), and {@link
 * io.tally.testing.HostileInput} is the battery of hostile requests every service's IT runs. The
 * launcher of a local network on them is {@link io.tally.testing.network}.
 */
@NullMarked
package io.tally.testing;

import org.jspecify.annotations.NullMarked;
