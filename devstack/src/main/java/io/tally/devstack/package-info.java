/**
 * The one-command local network: starts a real Kafka broker (KRaft, in process) and PostgreSQL (a
 * configured server, else embedded) on 127.0.0.1, generates a genesis and every key into a run
 * directory, and launches identity-service, four validators, a ledger and a gateway as separate
 * processes, wired by test-support's network launcher ({@code NetworkPlan}, {@code NodeProcesses}).
 */
@NullMarked
package io.tally.devstack;

import org.jspecify.annotations.NullMarked;
