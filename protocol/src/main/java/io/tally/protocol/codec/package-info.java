/**
 * Byte encodings the protocol depends on, written strictly: base64url without padding that rejects
 * every non-canonical form, lowercase hex, SHA-256, and a small JSON reader and writer.
 *
 * <p>Strictness is the point: when one byte string has exactly one accepted encoding, a changed
 * character is always a changed value and can never slip past a signature check.
 */
@NullMarked
package io.tally.protocol.codec;

import org.jspecify.annotations.NullMarked;
