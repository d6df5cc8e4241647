/**
 * Short-lived access tokens participants sign with their own keys ({@code private_key_jwt} style).
 */
@NullMarked
package io.tally.protocol.token;

import org.jspecify.annotations.NullMarked;
