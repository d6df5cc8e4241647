/**
 * Health indicators every service shares: whether it has caught up with the log, and whether the
 * broker answers. The services put them in their readiness group.
 */
@NullMarked
package io.tally.service.health;

import org.jspecify.annotations.NullMarked;
