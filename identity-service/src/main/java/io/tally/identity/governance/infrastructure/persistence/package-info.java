/**
 * JPA entities and Spring Data repositories of the desk's tables. Not null-marked: JPA creates
 * entities through a no-argument constructor and fills their fields afterwards (ADR 0004).
 */
@NullUnmarked
package io.tally.identity.governance.infrastructure.persistence;

import org.jspecify.annotations.NullUnmarked;
