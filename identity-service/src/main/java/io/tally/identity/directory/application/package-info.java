/** Following finalized blocks with an engine replica, and the directory it serves. */
@NullMarked
package io.tally.identity.directory.application;

import org.jspecify.annotations.NullMarked;
