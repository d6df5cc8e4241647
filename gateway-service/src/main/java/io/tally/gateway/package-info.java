/**
 * The REST front door of a Tally network: business systems submit signed instructions; the gateway
 * rejects what it can early, seals the rest in envelopes signed by its instance key, writes them to
 * the log, and reports finality from a replica that advances only over certified blocks.
 */
@NullMarked
package io.tally.gateway;

import org.jspecify.annotations.NullMarked;
