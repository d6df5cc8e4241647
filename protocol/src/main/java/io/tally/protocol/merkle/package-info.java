/**
 * Merkle trees as in RFC 9162 section 2.1 (Certificate Transparency 2.0): tree heads, inclusion
 * proofs and consistency proofs, generation and verification, with SHA-256 and the leaf {@code
 * 0x00} / node {@code 0x01} prefixes that keep a leaf from passing as an inner node.
 */
@NullMarked
package io.tally.protocol.merkle;

import org.jspecify.annotations.NullMarked;
