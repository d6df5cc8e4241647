/**
 * Block headers in their one canonical byte form, validators' votes over those bytes, and quorum
 * certificates: at least {@code q} distinct validators' signatures over one header.
 */
package io.tally.protocol.block;
