/** The {@code tally} command line (picocli) over the Java client. */
@NullMarked
package io.tally.cli;

import org.jspecify.annotations.NullMarked;
