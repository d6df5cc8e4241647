@NullMarked
package io.tally.gateway.audit.web;

import org.jspecify.annotations.NullMarked;
