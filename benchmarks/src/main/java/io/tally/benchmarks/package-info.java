/**
 * JMH benchmarks of the hot paths, each beside the raw building block it is judged against; the
 * figures and the commands that produced them live in docs/performance.md.
 */
package io.tally.benchmarks;
