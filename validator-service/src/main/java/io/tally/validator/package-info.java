/**
 * validator-service: one independently operated validator. It reads the log in order, finds blocks
 * by the network's rule, executes them with the engine, signs each header and publishes the vote;
 * it keeps snapshots of the engine in its own database so a restart replays only the blocks since
 * the last one.
 */
@NullMarked
package io.tally.validator;

import org.jspecify.annotations.NullMarked;
