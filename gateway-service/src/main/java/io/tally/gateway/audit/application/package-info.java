@NullMarked
package io.tally.gateway.audit.application;

import org.jspecify.annotations.NullMarked;
