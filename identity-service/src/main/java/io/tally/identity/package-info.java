/**
 * The governance desk of a Tally network: participants propose changes (a registration signed by
 * the keys it registers), administrators approve them with their governance keys, and a change
 * reaches the log only once {@code g} distinct administrators signed it. No instance and no single
 * administrator can admit a participant: validators check every signature themselves.
 */
@NullMarked
package io.tally.identity;

import org.jspecify.annotations.NullMarked;
