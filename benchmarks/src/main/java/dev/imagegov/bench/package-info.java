/**
 * JMH benchmarks of imagegov's hot operations, each against a baseline measured in the same
 * run, and the report that turns their results into BENCHMARKS.md. Built only with the {@code
 * bench} Maven profile; run with {@code benchmarks/run.sh}.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.bench;
