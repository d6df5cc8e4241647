/** The Kafka reader of finality events. */
@NullMarked
package io.tally.identity.directory.infrastructure;

import org.jspecify.annotations.NullMarked;
