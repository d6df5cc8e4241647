/**
 * The one launcher of a local Tally network, shared by the services' integration tests, the network
 * benchmark and the devstack. {@link io.tally.testing.network.NetworkPlan} writes the genesis and
 * the private keys to a directory (or adopts the ones there) and yields each node's properties
 * ({@link io.tally.testing.network.Node}: broker, database, genesis, ids and key files); {@link
 * io.tally.testing.network.InProcess} runs a node as a Spring application in this JVM, {@link
 * io.tally.testing.network.NodeProcesses} as a process of its own on a loopback port of its own.
 * Services are passed in by their callers: test-support never depends on a service module.
 */
@NullMarked
package io.tally.testing.network;

import org.jspecify.annotations.NullMarked;
