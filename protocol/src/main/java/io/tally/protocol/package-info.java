/**
 * The signed objects of the Tally network and the rules for checking them: Ed25519 keys as JWK, JWS
 * in compact and general serialization, envelopes, block headers, votes, quorum certificates, RFC
 * 9162 Merkle proofs and the genesis. Plain Java and Bouncy Castle only, so that every service, the
 * CLI and an auditor's offline verifier share exactly one implementation.
 *
 * <p>Every size that grows from outside input is bounded by {@link io.tally.protocol.Limits} and
 * checked before anything is allocated.
 */
@NullMarked
package io.tally.protocol;

import org.jspecify.annotations.NullMarked;
