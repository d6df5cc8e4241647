/** Governance proposals, approvals by administrators, and publication of approved changes. */
@NullMarked
package io.tally.identity.governance;

import org.jspecify.annotations.NullMarked;
