/**
 * JWS (RFC 7515) with {@code alg: EdDSA} (RFC 8037), in compact and in JSON general serialization,
 * reduced to what the protocol needs and strict about everything else.
 *
 * <p>Verification always runs over the bytes as received: the signing input is the received {@code
 * protected.payload} text, never a re-serialization. Parsing gives access to the payload only as
 * {@code unverifiedPayload()}; trusted payloads come from {@link
 * io.tally.protocol.jws.VerifiedJws}, which only a successful verification creates.
 */
@NullMarked
package io.tally.protocol.jws;

import org.jspecify.annotations.NullMarked;
