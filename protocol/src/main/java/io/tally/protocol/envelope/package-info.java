/**
 * Envelopes: the value of every Kafka record, a compact JWS by the producing instance over its
 * type, producer id, epoch, sequence number, the hash of its previous record and the body. Every
 * reader checks the signature against the genesis and the chain per producer, so a broker that
 * drops, duplicates, reorders or forges a producer's records is caught by every reader.
 */
@NullMarked
package io.tally.protocol.envelope;

import org.jspecify.annotations.NullMarked;
