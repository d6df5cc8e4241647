/**
 * The validator's work loop and the ports it needs: a reader of the log, publishers of votes and
 * cut markers, and a snapshot store. Plain Java, so the loop is tested against real infrastructure
 * without the framework in between.
 */
@NullMarked
package io.tally.validator.voting.application;

import org.jspecify.annotations.NullMarked;
