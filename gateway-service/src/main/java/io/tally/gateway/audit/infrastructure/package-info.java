@NullMarked
package io.tally.gateway.audit.infrastructure;

import org.jspecify.annotations.NullMarked;
