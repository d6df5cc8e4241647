/** The directory's API: participants and their keys as of the last finalized block. */
@NullMarked
package io.tally.identity.directory.web;

import org.jspecify.annotations.NullMarked;
