/**
 * Block headers in their one canonical byte form, validators' votes over those bytes, and quorum
 * certificates: at least {@code q} distinct validators' signatures over one header.
 */
@NullMarked
package io.tally.protocol.block;

import org.jspecify.annotations.NullMarked;
