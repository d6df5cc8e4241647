/**
 * Ed25519 keys (Bouncy Castle): signing keys that never print their secret, verification keys
 * validated on import, their JWK and JWKS form (RFC 7517, RFC 8037) with RFC 7638 thumbprints as
 * key ids, and the private key file format (PKCS#8 PEM).
 */
@NullMarked
package io.tally.protocol.keys;

import org.jspecify.annotations.NullMarked;
